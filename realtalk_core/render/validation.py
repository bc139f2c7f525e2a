"""What a training run shows while it goes: validation renders beside ground truth, and the loss curves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import torch

from ..schema.fileio import atomic_write
from .losses import composite, psnr


@torch.inference_mode()
def render_frames(model, data, indices: np.ndarray, device: torch.device, size: int | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Composited renders and ground truth of dataset frames: two (N, H, W, 3) float arrays in [0, 1]."""
    size = size or data.size
    renders, truths = [], []
    for i in indices:
        i = int(i)
        out = model.render(data.landmarks[i:i + 1].to(device), data.blendshapes[i:i + 1].to(device),
                           data.head_pose[i:i + 1].to(device), size)
        plate = data.background(i).to(device).permute(2, 0, 1)[None].float() / 255.0
        image = composite(out["rgb"], out["alpha"], plate)[0].permute(1, 2, 0).clamp(0, 1).cpu().numpy()
        renders.append(image)
        truths.append(data.frames[i].numpy().astype(np.float32) / 255.0)
    return np.stack(renders), np.stack(truths)


def side_by_side(truths: np.ndarray, renders: np.ndarray, error_gain: float = 4.0) -> np.ndarray:
    """Rows of (ground truth | render | error x gain) as uint8 RGB."""
    rows = []
    for truth, render in zip(truths, renders):
        error = np.clip(np.abs(truth - render).mean(-1, keepdims=True) * error_gain, 0, 1).repeat(3, -1)
        rows.append(np.concatenate([truth, render, error], axis=1))
    return (np.concatenate(rows, axis=0) * 255.0 + 0.5).astype(np.uint8)


def write_png(path: Path, rgb: np.ndarray) -> None:
    ok, encoded = cv2.imencode(".png", np.ascontiguousarray(rgb[:, :, ::-1]))
    if not ok:
        raise OSError(f"could not encode {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        handle.write(encoded.tobytes())


def validate(model, data, device: torch.device, frames: int, out_dir: Path, step: int) -> dict[str, float]:
    """Render the first ``frames`` validation frames, write ``val/step_NNNNNN.png``; returns their PSNR."""
    split = data.val if len(data.val) else data.train
    chosen = split[np.linspace(0, len(split) - 1, frames).round().astype(int)]
    renders, truths = render_frames(model, data, chosen, device)
    write_png(out_dir / "val" / f"step_{step:06d}.png", side_by_side(truths, renders))
    value = psnr(torch.from_numpy(renders), torch.from_numpy(truths))
    return {"val_psnr": float(value)}


def plot_history(history: list[dict[str, Any]], path: Path) -> None:
    """Loss terms and PSNR against step, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = [h["step"] for h in history]
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    for name in ("total", "photometric", "mouth", "ssim", "alpha", "head_rgb"):
        left.plot(steps, [h[name] for h in history], label=name, linewidth=1)
    left.set_yscale("log")
    left.set_xlabel("step")
    left.set_title("losses")
    left.legend(fontsize=7)
    right.plot(steps, [h["psnr"] for h in history], label="train crop", linewidth=1)
    val = [(h["step"], h["val_psnr"]) for h in history if "val_psnr" in h]
    if val:
        right.plot(*zip(*val), "o-", label="validation frames")
    right.set_xlabel("step")
    right.set_ylabel("PSNR (dB)")
    right.legend(fontsize=7)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.png")
    figure.savefig(tmp, dpi=90)
    plt.close(figure)
    tmp.replace(path)


def append_log(path: Path, entry: dict[str, Any]) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def rewrite_log(path: Path, entries: list[dict[str, Any]]) -> None:
    """Replace the log with ``entries``, a run's history at its last checkpoint: a resumed run logs each step once."""
    with atomic_write(path, "w") as handle:
        handle.write("".join(json.dumps(entry) + "\n" for entry in entries))
