"""A trained subject on disk, and the rendering API: ``Subject.load(dir).render(landmarks, blendshapes, head_pose, size)``.

A subject folder holds ``subject.pt`` (config, weights and fitted buffers; loaded with ``weights_only``),
``background.png`` (the plate it was trained over), ``framing.json`` + ``source_plate.png`` (where the crop sat
in the source video, for pasting renders back; see framing.py) and, while training, ``train_state.pt`` (optimizer and
step, for ``--resume``). The renderer needs only the first two.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import cv2
import numpy as np
import torch

from ..process.dataset import load_dataset
from ..schema.errors import RealtalkError
from ..schema.fileio import atomic_write
from ..training.checkpoint import load_checkpoint, save_checkpoint
from .condition import smooth_over_time
from .framing import Framing, framing_from_dataset, load_framing, save_framing
from .model import ModelConfig, TalkingHeadModel

DEMO = "demo"
#: Where the committed demo subject lives inside the package (see docs/render.md for the command).
DEMO_PACKAGE, DEMO_FOLDER = "realtalk_core.weights", "demo_subject"
SUBJECT_FILE = "subject.pt"
TRAIN_STATE_FILE = "train_state.pt"
PLATE_FILE = "background.png"
KIND = "subject"


def subject_dir(spec: str | Path | None) -> Path:
    """``None`` / ``"demo"`` -> the bundled demo subject; a folder holding subject.pt -> that folder."""
    if spec in (None, "", DEMO):
        from importlib import resources

        path = Path(str(resources.files(DEMO_PACKAGE).joinpath(DEMO_FOLDER)))
        if not (path / SUBJECT_FILE).is_file():
            raise RealtalkError(f"{path}: the bundled demo subject is missing from this install; reinstall realtalk "
                                "or pass --subject DIR (a folder from `realtalk train subject`)")
        return path
    path = Path(spec)
    if path.is_file() and path.name == SUBJECT_FILE:
        return path.parent
    if (path / SUBJECT_FILE).is_file():
        return path
    if path.exists():
        raise RealtalkError(f"--subject {spec}: not a subject folder (no {SUBJECT_FILE}); pass `demo` or a folder "
                            "written by `realtalk train subject`")
    raise RealtalkError(f"--subject {spec}: no such subject or folder; known names: {DEMO}")


def export_subject(out: Path, model: TalkingHeadModel, config, data, meta: dict[str, Any]) -> str:
    """Write the renderable subject (weights + plate) into ``out``; returns the subject file's sha256."""
    plate = data.background(int(data.train[0])).numpy()
    ok, encoded = cv2.imencode(".png", np.ascontiguousarray(plate[:, :, ::-1]))
    if not ok:
        raise OSError(f"could not encode {out / PLATE_FILE}")
    with atomic_write(out / PLATE_FILE) as handle:
        handle.write(encoded.tobytes())
    try:
        framing = framing_from_dataset(load_dataset(data.root), np.asarray(data.train))
    except RealtalkError:
        framing = None                   # the dataset moved or changed: the subject renders, without paste-back
    if framing is not None:
        save_framing(out, *framing)
    return save_checkpoint(out / SUBJECT_FILE, KIND, config.model.to_json(), model.state_dict(),
                           plane_resolutions=list(model.field.encoding.current_resolutions), meta=meta)


@dataclass
class Subject:
    """A loaded subject, ready to render on ``device``."""

    root: Path
    model: TalkingHeadModel
    plate: np.ndarray            #: (S, S, 3) uint8 RGB at the training size
    sha256: str
    meta: dict[str, Any]
    device: torch.device

    @property
    def image_size(self) -> int:
        return self.model.config.image_size

    @staticmethod
    def load(root: str | Path, device: str | torch.device = "cpu") -> "Subject":
        root = Path(root)
        path = root / SUBJECT_FILE if root.is_dir() else root
        root = path.parent
        payload, sha = load_checkpoint(path, KIND)
        try:
            config = ModelConfig.from_json(payload["config"])
            model = TalkingHeadModel(config)
            model.field.encoding.resize_to(tuple(payload["plane_resolutions"]))
            model.load_state_dict(payload["state"])
        except (KeyError, TypeError, RuntimeError, ValueError) as error:
            first = str(error).splitlines()[0][:120]
            raise RealtalkError(f"{path}: subject checkpoint does not match this realtalk ({first}); retrain it "
                                "with `realtalk train subject`") from None
        plate = cv2.imread(str(root / PLATE_FILE), cv2.IMREAD_COLOR)
        if plate is None:
            raise RealtalkError(f"{root / PLATE_FILE}: missing or unreadable background plate; copy the whole "
                                "subject folder or retrain it")
        device = torch.device(device)
        model.to(device).eval()
        # Rendering only: channels-last conv weights let oneDNN skip layout conversions (same values).
        model.decoder.to(memory_format=torch.channels_last)
        model.torso.to(memory_format=torch.channels_last)
        return Subject(root, model, np.ascontiguousarray(plate[:, :, ::-1]), sha, dict(payload.get("meta", {})), device)

    def load_framing(self) -> tuple[Framing, np.ndarray] | None:
        """(framing, (H, W, 3) uint8 RGB full-frame plate) for pasting renders back, or None (older subjects)."""
        return load_framing(self.root)

    def check_size(self, size: int) -> None:
        unit = self.model.config.decoder.upsample * 2
        if size < 32 or size % unit:
            raise RealtalkError(f"--size {size}: must be at least 32 and a multiple of {unit}")

    @torch.inference_mode()
    def render(self, landmarks: np.ndarray, blendshapes: np.ndarray, head_pose: np.ndarray, size: int | None = None,
               smooth: bool = True, batch: int = 1, progress: Callable[[int], None] | None = None,
               with_attention: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Frames as (T, size, size, 4) uint8 RGBA (straight colour; alpha is the person).

        ``landmarks`` (T, 478, 3) head frame, ``blendshapes`` (T, 52), ``head_pose`` (T, 4, 4). The condition
        is smoothed over neighbouring frames (as in training) unless ``smooth`` is False, e.g. for one
        isolated frame. With ``with_attention`` also returns (T, K, size/u, size/u) attention maps. ``batch``
        frames go through the model at once; one at a time is fastest on a CPU (the working set stays in cache).
        """
        size = size or self.image_size
        self.check_size(size)
        landmarks, blendshapes = np.asarray(landmarks, np.float32), np.asarray(blendshapes, np.float32)
        head_pose = np.asarray(head_pose, np.float32)
        frames = len(landmarks)
        if blendshapes.shape != (frames, 52) or landmarks.shape != (frames, 478, 3) or head_pose.shape != (frames, 4, 4):
            raise RealtalkError(f"render: expected (T, 478, 3) landmarks, (T, 52) blendshapes and (T, 4, 4) head poses, "
                                f"got {landmarks.shape}, {blendshapes.shape}, {head_pose.shape}")
        if not (np.isfinite(landmarks).all() and np.isfinite(blendshapes).all() and np.isfinite(head_pose).all()):
            raise RealtalkError("render: the landmarks, blendshapes or head poses hold NaN or infinite values")
        if smooth:
            kernel = self.model.config.condition.smoothing
            landmarks, blendshapes = smooth_over_time(landmarks, kernel), smooth_over_time(blendshapes, kernel)
        frames_out = np.zeros((frames, size, size, 4), np.uint8)
        maps = []
        for start in range(0, frames, batch):
            part = slice(start, min(frames, start + batch))
            tensors = [torch.from_numpy(a[part]).to(self.device) for a in (landmarks, blendshapes, head_pose)]
            out = self.model.render(*tensors, size, with_attention=with_attention)
            rgba = torch.cat([out["rgb"], out["alpha"]], dim=1).permute(0, 2, 3, 1)
            frames_out[part] = (rgba.clamp(0, 1) * 255.0 + 0.5).to(torch.uint8).cpu().numpy()
            if with_attention:
                maps.append(out["attention"].cpu().numpy())
            if progress is not None:
                progress(part.stop - part.start)
        return (frames_out, np.concatenate(maps)) if with_attention else frames_out

    def background(self, size: int | None = None) -> np.ndarray:
        """The plate at ``size`` (uint8 RGB)."""
        size = size or self.image_size
        if size == self.plate.shape[0]:
            return self.plate
        return cv2.resize(self.plate, (size, size), interpolation=cv2.INTER_AREA if size < self.plate.shape[0]
                          else cv2.INTER_CUBIC)


def over(rgba: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Composite (..., H, W, 4) uint8 RGBA over an (H, W, 3) uint8 background -> uint8 RGB."""
    alpha = rgba[..., 3:4].astype(np.float32) / 255.0
    out = rgba[..., :3].astype(np.float32) * alpha + background.astype(np.float32) * (1.0 - alpha)
    return (out + 0.5).astype(np.uint8)
