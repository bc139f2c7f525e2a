"""``realtalk train emotion``: fit the LDM on paired neutral / emotional sequences.

The PCA basis is fitted first on a sample of both sides of the pairs; then every pair is read
once and kept as PCA coefficients. Training draws windows from the pairs (5% of utterances,
by name hash, are kept for validation) and minimises L1 between the deformed neutral and the
emotional coefficients, plus the same on their frame-to-frame differences (temporal
consistency).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import torch

from ..progress import Progress
from ..schema.fileio import atomic_write
from ..training import save_checkpoint
from ..training.loop import cosine_lr, window_rows
from .data import Displacement, Pair, find_pairs, fit_basis, load_pair
from .ldm import EmotionLDM, EmotionLDMConfig

KIND = "emotion-ldm"


@dataclass(frozen=True)
class EmotionTrainConfig:
    model: EmotionLDMConfig = field(default_factory=EmotionLDMConfig)
    iterations: int = 12000
    batch: int = 32
    window: int = 64
    lr: float = 1e-3
    lr_final: float = 1e-5
    weight_decay: float = 1e-4
    velocity_weight: float = 1.0
    basis_pairs: int = 200            #: pairs read to fit the PCA basis
    val_share: float = 0.05
    seed: int = 0
    log_every: int = 50
    device: str = "cpu"


PRESETS: dict[str, EmotionTrainConfig] = {
    "tiny": EmotionTrainConfig(model=EmotionLDMConfig(components=16, hidden=32, blocks=1, embedding=8),
                               iterations=20, batch=4, window=32, basis_pairs=8, log_every=5),
    "cpu": EmotionTrainConfig(model=EmotionLDMConfig(hidden=192, blocks=3), iterations=600, batch=24),
    "gpu": EmotionTrainConfig(model=EmotionLDMConfig(hidden=384, blocks=6), iterations=20000, batch=64),
}
DEFAULT_PRESET = "gpu"


def _is_val(pair: Pair, share: float) -> bool:
    name = Path(pair.emotional).name
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share


@dataclass
class PairSet:
    """Pairs as PCA coefficients, concatenated, with each pair's start and length."""

    source: torch.Tensor   # (N, K)
    target: torch.Tensor   # (N, K)
    mix: torch.Tensor      # (N, 8)
    starts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, items: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> "PairSet":
        lengths = np.array([len(a) for a, _, _ in items])
        return cls(torch.from_numpy(np.concatenate([a for a, _, _ in items])),
                   torch.from_numpy(np.concatenate([b for _, b, _ in items])),
                   torch.from_numpy(np.concatenate([m for _, _, m in items])),
                   np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)

    def windows(self, rng: np.random.Generator, count: int, window: int) -> tuple[torch.Tensor, ...]:
        index = torch.from_numpy(window_rows(rng, self.starts, self.lengths, count, window))
        return self.source[index], self.target[index], self.mix[index]


def _loss(model: EmotionLDM, batch: tuple[torch.Tensor, ...], config: EmotionTrainConfig) -> dict[str, torch.Tensor]:
    source, target, mix = batch
    predicted = source + model.deform_coeffs(source, mix, torch.ones(mix.shape[:2], device=mix.device))
    scale = model.scale.mean()
    l1 = (predicted - target).abs().mean() / scale
    velocity = (predicted.diff(dim=1) - target.diff(dim=1)).abs().mean() / scale
    return {"loss": l1 + config.velocity_weight * velocity, "l1": l1, "velocity": velocity}


def train_emotion(data: Sequence[str | Path], out: Path, neutral: np.ndarray, config: EmotionTrainConfig,
                  progress: Progress, command: str = "") -> dict[str, Any]:
    """Train on the pairs under ``data`` (landmarks relative to ``neutral`` (478, 3)); write ``out``."""
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    pairs = find_pairs(data)
    displacement = Displacement(np.asarray(neutral, np.float64))
    sample_ids = rng.choice(len(pairs), size=min(config.basis_pairs, len(pairs)), replace=False)
    samples = []
    with progress.stage("basis", total=len(sample_ids)) as stage:
        for i in sample_ids:
            a, b, _ = load_pair(pairs[i], displacement)
            samples += [a[::2], b[::2]]
            stage.advance()
    basis, scale = fit_basis(np.concatenate(samples), config.model.components)
    basis_t = torch.from_numpy(basis)
    train_items, val_items = [], []
    with progress.stage("pairs", total=len(pairs)) as stage:
        for pair in pairs:
            a, b, mix = load_pair(pair, displacement)
            item = (a @ basis.T, b @ basis.T, mix)
            (val_items if _is_val(pair, config.val_share) else train_items).append(item)
            stage.advance()
    train_set, val_set = PairSet.of(train_items or val_items), PairSet.of(val_items or train_items[-1:])

    device = torch.device(config.device)
    model = EmotionLDM(config.model)
    model.basis.copy_(basis_t)
    model.scale.copy_(torch.from_numpy(scale))
    model.to(device)
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    val_batch = val_set.windows(np.random.default_rng(config.seed + 1), max(8, config.batch), config.window)
    log: list[dict[str, float]] = []
    started = time.perf_counter()
    with progress.stage("train", total=config.iterations) as stage:
        for step in range(config.iterations):
            for group in optimiser.param_groups:
                group["lr"] = cosine_lr(step, config.iterations, config.lr, config.lr_final)
            model.train()
            parts = _loss(model, tuple(t.to(device) for t in train_set.windows(rng, config.batch, config.window)),
                          config)
            optimiser.zero_grad(set_to_none=True)
            parts["loss"].backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            if step % config.log_every == 0 or step == config.iterations - 1:
                model.eval()
                with torch.no_grad():
                    held = _loss(model, tuple(t.to(device) for t in val_batch), config)
                entry = {"step": step, "seconds": round(time.perf_counter() - started, 2),
                         **{k: round(float(v.detach()), 5) for k, v in parts.items()},
                         **{f"val_{k}": round(float(v), 5) for k, v in held.items()}}
                log.append(entry)
                stage.describe(f"loss {entry['loss']:.3f} val {entry['val_l1']:.3f}")
            stage.advance()
    log_path = out.with_suffix(".log.jsonl")
    with atomic_write(log_path, "w") as handle:
        handle.write("".join(json.dumps(e) + "\n" for e in log))
    summary = {"pairs": len(train_items), "val_pairs": len(val_items), "frames": int(len(train_set.source)),
               "seconds": round(time.perf_counter() - started, 1), "final": log[-1]}
    sha = save_checkpoint(out, KIND, {"model": asdict(config.model), "train": asdict(config)}, model.state_dict(),
                          meta={"command": command, "summary": summary})
    return {**summary, "checkpoint": str(out), "sha256": sha, "log": str(log_path)}
