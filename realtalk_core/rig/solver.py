"""Landmarks -> blendshape weights: bounded least squares, vectorised over frames.

For each frame, with the rig ``landmarks = neutral + sum_k w_k * delta_k``, solve::

    minimise  || sqrt(P) (B w - (x - neutral)) ||^2 + ridge * ||D w||^2   subject to 0 <= w <= 1

where B is the (3N, K) matrix of deltas, P the per-landmark weights and D the weighted
column norms (so the ridge is relative to each channel's own size). All frames at once:

1. columns are scaled to unit norm (Jacobi preconditioning; a box stays a box);
2. the start point is the unconstrained ridge solution, clipped to the box;
3. FISTA (accelerated projected gradient, restarted per frame when a step goes uphill)
   on the precomputed K x K normal matrix: each step is one (T, K) @ (K, K) product.

Used with a :class:`FaceRig`, the solver inverts :meth:`FaceRig.evaluate` (jawOpen
linearised); landmarks must be in the rig's head frame (``pose.remove_head_pose``).

Opposing pairs (``OPPOSING_PAIRS``, e.g. eyeLookUp / eyeLookDown) move the same
landmarks in opposite directions: landmarks see little more than their difference,
so noise would leak into both. A second pass keeps only the stronger channel of
each pair per frame (the other is held at 0) and refines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from ..schema.channels import LANDMARK_GROUPS, NUM_LANDMARKS

if TYPE_CHECKING:
    from .face_rig import FaceRig

#: ARKit channel pairs whose landmark moves (nearly) cancel: at most one of each is active.
OPPOSING_PAIRS: tuple[tuple[str, str], ...] = (
    ("eyeLookInLeft", "eyeLookOutLeft"), ("eyeLookInRight", "eyeLookOutRight"),
    ("eyeLookUpLeft", "eyeLookDownLeft"), ("eyeLookUpRight", "eyeLookDownRight"),
    ("eyeBlinkLeft", "eyeWideLeft"), ("eyeBlinkRight", "eyeWideRight"),   # upper lid down vs up
    ("jawLeft", "jawRight"), ("mouthLeft", "mouthRight"),
)


#: How often (in FISTA steps) converged frames leave the working set.
_CHECK_EVERY = 10


@dataclass(frozen=True)
class SolverConfig:
    """How the solver weighs landmarks and when it stops."""

    group_weights: Mapping[str, float] = field(
        default_factory=lambda: {"mouth": 2.0, "eyes": 2.0, "face_oval": 0.5})
    """Weight per named landmark group (LANDMARK_GROUPS, applied in order); others weigh 1.
    Lip and lid contours carry the expressions; trackers place the face oval least reliably."""
    ridge: float = 1e-4
    """Tikhonov term relative to each channel's squared norm; pulls unobservable weights to 0."""
    iterations: int = 200
    """Most FISTA iterations of the first pass (the opposing-pairs pass runs half as many);
    on the face rig most frames converge in 30 to 80."""
    tolerance: float = 1e-5
    """A frame stops once no channel's move changes by more than this in one step (metres of
    weighted landmark motion: the scaled weight is the weight times the channel's norm)."""
    opposing_pairs: tuple[tuple[str, str], ...] = OPPOSING_PAIRS
    """Pairs kept one-sided per frame (pairs naming unknown channels are ignored; () turns it off)."""
    batch: int = 4096
    """Frames solved per batch (bounds memory for long takes)."""

    def landmark_weights(self) -> np.ndarray:
        """(478,) per-landmark weights."""
        weights = np.ones(NUM_LANDMARKS)
        for group, value in self.group_weights.items():
            weights[list(LANDMARK_GROUPS[group])] = value
        return weights


class BlendshapeSolver:
    """Solves (T, 478, 3) landmarks into (T, K) weights in [0, 1] for a fixed linear rig."""

    def __init__(self, neutral: np.ndarray, deltas: np.ndarray, names: Sequence[str],
                 config: SolverConfig | None = None, landmark_weights: np.ndarray | None = None) -> None:
        self.config = config = config or SolverConfig()
        deltas = np.asarray(deltas, np.float64)                               # (K, 478, 3)
        if deltas.shape[1:] != (NUM_LANDMARKS, 3) or deltas.shape[0] != len(names):
            raise ValueError(f"deltas must be (len(names), 478, 3), got {deltas.shape} for {len(names)} names")
        weights = config.landmark_weights() if landmark_weights is None else np.asarray(landmark_weights, float)
        if weights.shape != (NUM_LANDMARKS,) or (weights < 0).any():
            raise ValueError(f"landmark weights must be (478,) and >= 0, got shape {weights.shape}")
        self.names = tuple(names)
        self.neutral = np.asarray(neutral, np.float64).reshape(-1)            # (3N,)
        self.deltas = deltas
        root = np.repeat(np.sqrt(weights), 3)                                 # (3N,)
        basis = deltas.reshape(len(names), -1).T * root[:, None]              # (3N, K), weighted
        self.column_norm = np.linalg.norm(basis, axis=0)                      # (K,)
        if (self.column_norm == 0).any():
            dead = [n for n, v in zip(self.names, self.column_norm) if v == 0]
            raise ValueError(f"channels {dead} move no weighted landmark")
        unit = basis / self.column_norm                                       # (3N, K)
        self._gram = unit.T @ unit + config.ridge * np.eye(len(names))        # (K, K), 1 + ridge on the diagonal
        self._step = 1.0 / np.linalg.eigvalsh(self._gram).max()
        self._start = np.linalg.inv(self._gram)                               # (K, K)
        self._project = unit * root[:, None]                                  # (3N, K): h = (x - n) @ this
        lookup = {n: k for k, n in enumerate(self.names)}
        self._pairs = np.array([(lookup[a], lookup[b]) for a, b in config.opposing_pairs
                                if a in lookup and b in lookup], dtype=np.int64).reshape(-1, 2)

    @classmethod
    def for_rig(cls, rig: "FaceRig", config: SolverConfig | None = None,
                landmark_weights: np.ndarray | None = None) -> "BlendshapeSolver":
        """The solver of a :class:`FaceRig` (its neutral, linear deltas and the 52 ARKit names)."""
        return cls(rig.neutral, rig.deltas, rig.names, config, landmark_weights)

    def correlation(self) -> np.ndarray:
        """(K, K) cosines between the channels' weighted landmark moves (1 on the diagonal)."""
        return self._gram - self.config.ridge * np.eye(len(self.names))

    def solve(self, landmarks: np.ndarray) -> np.ndarray:
        """(T, 478, 3) or (478, 3) head-frame landmarks -> (T, K) or (K,) float32 weights in [0, 1]."""
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

    def residual_error(self, landmarks: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """(T,) RMS distance in metres between the landmarks and the rig posed with ``weights``."""
        posed = self.neutral.reshape(NUM_LANDMARKS, 3) + np.einsum("tk,kpc->tpc", weights, self.deltas)
        return np.sqrt(((np.asarray(landmarks) - posed) ** 2).sum(axis=2).mean(axis=1))

    # ------------------------------------------------------------------ internals
    def _solve_batch(self, offsets: np.ndarray) -> np.ndarray:
        """(B, 3N) landmark offsets from neutral -> (B, K) weights."""
        h = offsets @ self._project                                           # (B, K)
        upper = self.column_norm                                              # box of the scaled weights
        v = np.clip(h @ self._start, 0.0, upper)
        v = self._fista(v, h, upper, self.config.iterations)
        if len(self._pairs):
            v, bounds = self._one_sided(v, upper)
            v = self._fista(v, h, bounds, self.config.iterations // 2)
        return np.clip(v / upper, 0.0, 1.0)

    def _fista(self, v: np.ndarray, h: np.ndarray, upper: np.ndarray, iterations: int) -> np.ndarray:
        """Projected FISTA for ``min 1/2 v'Gv - h'v, 0 <= v <= upper``; ``upper`` (K,) or (B, K).

        Rows are independent: each stops on its own once no weight moves by more than
        ``tolerance`` in a step (checked every ``_CHECK_EVERY`` steps), so a frame's answer
        does not depend on the batch it is solved in.
        """
        out = v.copy()
        rows = np.arange(len(v))                                              # frames still iterating
        y, momentum = v.copy(), np.ones((len(v), 1))
        for step in range(1, iterations + 1):
            # v_next = clip(y - step * (y G - h)), in place (G is symmetric)
            v_next = y @ self._gram
            v_next -= h
            v_next *= -self._step
            v_next += y
            np.maximum(v_next, 0.0, out=v_next)
            np.minimum(v_next, upper, out=v_next)
            change = v_next - v
            # Restart the momentum of a frame whose step went uphill (O'Donoghue & Candes).
            uphill = np.einsum("ij,ij->i", y - v_next, change)[:, None] > 0
            momentum_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * momentum * momentum))
            beta = np.where(uphill, 0.0, (momentum - 1.0) / momentum_next)
            momentum = np.where(uphill, 1.0, momentum_next)
            check = step % _CHECK_EVERY == 0
            moving = np.abs(change).max(axis=1) >= self.config.tolerance if check else None   # (B,)
            change *= beta
            change += v_next
            y, v = change, v_next
            if check:
                if not moving.all():
                    out[rows] = v
                    rows, v, y, h, momentum = rows[moving], v[moving], y[moving], h[moving], momentum[moving]
                    upper = upper[moving] if upper.ndim == 2 else upper
                    if not len(rows):
                        break
        out[rows] = v
        return out

    def _one_sided(self, v: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per frame, put each opposing pair's net (scaled) weight on one channel; bound the other at 0."""
        first, second = self._pairs[:, 0], self._pairs[:, 1]
        net = v[:, first] - v[:, second]                                      # (B, P), unit-column units
        bounds = np.tile(upper, (len(v), 1))
        bounds[:, first] *= net > 0
        bounds[:, second] *= net <= 0
        start = v.copy()
        start[:, first] = np.maximum(net, 0.0)
        start[:, second] = np.maximum(-net, 0.0)
        return np.minimum(start, bounds), bounds
