"""Landmarks -> blendshape weights: bounded least squares, vectorised over frames.

For each frame, with the rig ``landmarks = neutral + sum_k w_k * delta_k``, solve::

    minimise  || sqrt(P) (B w - (x - neutral)) ||^2 + ridge * ||w||^2   subject to 0 <= w <= 1

where B is the (3N, K) matrix of deltas and P the per-landmark weights. The normal
matrix ``G = B^T P B + ridge I`` (K x K) is built once; each frame then needs one
right-hand side ``h = B^T P (x - neutral)`` and a few hundred projected-gradient steps
on a K-vector. Steps use Nesterov acceleration (FISTA) on a Jacobi-preconditioned
problem (the box stays a box under diagonal scaling), all frames at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from ..schema.channels import LANDMARK_GROUPS, NUM_LANDMARKS


@dataclass(frozen=True)
class SolverConfig:
    """How the solver weighs landmarks and when it stops."""

    #: most projected-gradient iterations per batch
    iterations: int = 400
    #: stop early once no weight in the batch changes by more than this in one step
    tolerance: float = 1e-6
    #: Tikhonov term, relative to the mean diagonal of the normal matrix
    ridge: float = 1e-6
    #: extra weight per named landmark group (LANDMARK_GROUPS); every other landmark weighs 1
    group_weights: Mapping[str, float] = field(default_factory=lambda: {"mouth": 2.0, "eyes": 2.0, "irises": 1.0})
    #: frames solved per batch (bounds memory for long takes)
    batch: int = 8192


class BlendshapeSolver:
    """Solves (T, 478, 3) landmarks into (T, K) weights in [0, 1] for a fixed linear rig."""

    def __init__(self, neutral: np.ndarray, deltas: np.ndarray, names: Sequence[str],
                 config: SolverConfig | None = None) -> None:
        self.config = config = config or SolverConfig()
        deltas = np.asarray(deltas, np.float64)                       # (K, 478, 3)
        if deltas.shape[1:] != (NUM_LANDMARKS, 3) or deltas.shape[0] != len(names):
            raise ValueError(f"deltas must be (len(names), 478, 3), got {deltas.shape} for {len(names)} names")
        self.names = tuple(names)
        self.neutral = np.asarray(neutral, np.float64).reshape(-1)    # (3N,)
        point_weight = np.ones(NUM_LANDMARKS)
        for group, weight in config.group_weights.items():
            point_weight[list(LANDMARK_GROUPS[group])] = weight
        p = np.repeat(point_weight, 3)                                # (3N,)
        basis = deltas.reshape(len(names), -1).T                      # (3N, K)
        gram = basis.T @ (basis * p[:, None])                         # (K, K)
        gram += config.ridge * np.mean(np.diag(gram)) * np.eye(len(names))
        # Jacobi scaling: solve for v = D w with D = sqrt(diag G); the bounds become [0, D].
        scale = np.sqrt(np.clip(np.diag(gram), 1e-30, None))          # (K,)
        self._scale = scale
        self._gram = gram / np.outer(scale, scale)                    # (K, K), unit diagonal
        self._project = (basis * p[:, None]) / scale                  # (3N, K): h = residual @ this
        self._step = 1.0 / np.linalg.eigvalsh(self._gram).max()

    def solve(self, landmarks: np.ndarray) -> np.ndarray:
        """(T, 478, 3) -> (T, K) float32 weights in [0, 1], in ``names`` order."""
        points = np.asarray(landmarks, np.float64)
        if points.ndim == 2:
            return self.solve(points[None])[0]
        if points.shape[1:] != (NUM_LANDMARKS, 3):
            raise ValueError(f"landmarks must be (T, 478, 3), got {points.shape}")
        out = np.empty((len(points), len(self.names)), np.float32)
        for start in range(0, len(points), self.config.batch):
            chunk = points[start:start + self.config.batch].reshape(-1, self.neutral.size)
            out[start:start + len(chunk)] = self._solve_batch(chunk - self.neutral)
        return out

    def _solve_batch(self, residual: np.ndarray) -> np.ndarray:
        """(B, 3N) landmark offsets from neutral -> (B, K) weights."""
        h = residual @ self._project                                  # (B, K)
        upper = self._scale                                           # bounds of v = D w
        v = np.clip(h, 0.0, upper)                                    # start from the clipped diagonal solve
        y, momentum = v.copy(), 1.0
        for _ in range(self.config.iterations):
            gradient = y @ self._gram - h                             # G is symmetric
            v_next = np.clip(y - self._step * gradient, 0.0, upper)
            momentum_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * momentum * momentum))
            y = v_next + ((momentum - 1.0) / momentum_next) * (v_next - v)
            change = np.abs(v_next - v).max() if v.size else 0.0
            v, momentum = v_next, momentum_next
            if change / upper.max() < self.config.tolerance:
                break
        return np.clip(v / self._scale, 0.0, 1.0)

    def residual_error(self, landmarks: np.ndarray, weights: np.ndarray, deltas: np.ndarray) -> np.ndarray:
        """(T,) RMS distance in metres between the landmarks and the rig posed with ``weights``."""
        posed = self.neutral.reshape(NUM_LANDMARKS, 3) + np.einsum("tk,kpc->tpc", weights, deltas)
        return np.sqrt(((np.asarray(landmarks) - posed) ** 2).sum(axis=2).mean(axis=1))
