"""Pieces every trainer's loop uses: the learning-rate schedule and random windows of sequences."""

from __future__ import annotations

import math

import numpy as np


def cosine_lr(step: int, iterations: int, lr: float, lr_final: float) -> float:
    """Linear warm-up over 3% of the run, then cosine decay from ``lr`` to ``lr_final``."""
    warm = max(1, int(0.03 * iterations))
    if step < warm:
        return lr * (step + 1) / warm
    progress = (step - warm) / max(1, iterations - warm)
    return lr_final + 0.5 * (lr - lr_final) * (1 + math.cos(math.pi * progress))


def window_rows(rng: np.random.Generator, starts: np.ndarray, lengths: np.ndarray, count: int,
                window: int) -> np.ndarray:
    """(count, window) row indices into concatenated sequences: each window inside one sequence
    (picked in proportion to length), short sequences repeating their last row."""
    pick = rng.choice(len(lengths), size=count, p=lengths / lengths.sum())
    rows = []
    for s in pick:
        start = starts[s] + int(rng.integers(0, max(1, lengths[s] - window + 1)))
        rows.append(np.minimum(np.arange(start, start + window), starts[s] + lengths[s] - 1))
    return np.stack(rows)
