"""What a frame's expression looks like to the renderer: named condition groups, whitened, smoothed in time.

A frame's condition is its 52 blendshapes, split by the schema's named groups (eyes, jaw, mouth, ...), plus
its landmarks, split by named landmark groups and reduced per group to a few PCA coefficients fitted on the
subject's training frames. Nothing here is a magic slice: every group is looked up by name in
``realtalk_core.schema.channels``. The basis lives in the model's buffers, so a checkpoint carries it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..schema.channels import BLENDSHAPE_GROUPS, LANDMARK_GROUPS, blendshape_index


@dataclass(frozen=True)
class ConditionConfig:
    """Which named groups become condition tokens, and how landmark groups are reduced."""

    blendshape_groups: tuple[str, ...] = ("eyes", "jaw", "mouth", "brows", "cheeks", "nose", "tongue")
    landmark_groups: tuple[str, ...] = ("lips_outer", "lips_inner", "eyes", "irises", "brows", "face_oval")
    landmark_components: int = 6             #: PCA coefficients kept per landmark group
    smoothing: tuple[float, ...] = (0.15, 0.7, 0.15)   #: temporal kernel over neighbouring frames (odd length)
    range_margin: float = 0.25               #: values are held within the training range widened by this share

    def group_sizes(self) -> dict[str, int]:
        sizes = {f"bs:{g}": len(BLENDSHAPE_GROUPS[g]) for g in self.blendshape_groups}
        sizes.update({f"lm:{g}": self.landmark_components for g in self.landmark_groups})
        return sizes


def smooth_over_time(values: np.ndarray, kernel: tuple[float, ...]) -> np.ndarray:
    """(T, ...) -> (T, ...) convolved along time with a normalised kernel, edges held."""
    weights = np.asarray(kernel, np.float64)
    weights = weights / weights.sum()
    half = len(weights) // 2
    if half == 0 or len(values) == 1:
        return np.asarray(values, np.float32)
    padded = np.concatenate([np.repeat(values[:1], half, 0), values, np.repeat(values[-1:], half, 0)])
    out = sum(w * padded[i:i + len(values)] for i, w in enumerate(weights))
    return np.asarray(out, np.float32)


#: Whitened landmark coefficients are floored at this share of the group's main component, and clamped to
#: +-LIMIT (training data sits within about +-4), so out-of-range input degrades gracefully.
RELATIVE_FLOOR, LIMIT = 0.1, 8.0


class ConditionSpace(nn.Module):
    """Maps (landmarks, blendshapes) to a dict of named, roughly unit-scale group vectors."""

    def __init__(self, config: ConditionConfig) -> None:
        super().__init__()
        self.config = config
        k = config.landmark_components
        for group in config.landmark_groups:
            n = len(LANDMARK_GROUPS[group]) * 3
            self.register_buffer(f"mean_{group}", torch.zeros(n))
            self.register_buffer(f"basis_{group}", torch.zeros(n, k))      # columns scaled to whiten
            self.register_buffer(f"low_{group}", torch.full((k,), -LIMIT))
            self.register_buffer(f"high_{group}", torch.full((k,), LIMIT))
        # Column indices of each named group, built once (not saved: they come from the schema).
        for group in config.blendshape_groups:
            self.register_buffer(f"index_bs_{group}", torch.from_numpy(blendshape_index(group)), persistent=False)
        for group in config.landmark_groups:
            self.register_buffer(f"index_lm_{group}", torch.tensor(LANDMARK_GROUPS[group]), persistent=False)
        self.register_buffer("bs_scale", torch.ones(52))
        self.register_buffer("bs_low", torch.zeros(52))
        self.register_buffer("bs_high", torch.full((52,), LIMIT))

    @torch.no_grad()
    def fit(self, landmarks: np.ndarray, blendshapes: np.ndarray) -> None:
        """Fit the per-group PCA (whitened) and the blendshape scales on training frames."""
        k = self.config.landmark_components
        for group in self.config.landmark_groups:
            points = landmarks[:, list(LANDMARK_GROUPS[group])].reshape(len(landmarks), -1).astype(np.float64)
            mean = points.mean(0)
            _, s, vt = np.linalg.svd(points - mean, full_matrices=False)
            std = s[:k] / np.sqrt(max(1, len(points) - 1))
            # Directions the training frames barely use must not be amplified without bound: floor each
            # component's spread at a share of the main one's (an emotion can move them at render time).
            std = np.maximum(std, RELATIVE_FLOOR * std[0]) if len(std) else std
            basis = np.zeros((points.shape[1], k))
            used = min(k, vt.shape[0])
            basis[:, :used] = vt[:used].T / np.maximum(std[:used], 1e-6)
            getattr(self, f"mean_{group}").copy_(torch.from_numpy(mean).float())
            getattr(self, f"basis_{group}").copy_(torch.from_numpy(basis).float())
        spread = np.maximum(blendshapes.std(0), 0.05)
        # Blendshapes a subject never used in training (a fear-only subject asked to smile) still drive tokens.
        self.bs_scale.copy_(torch.from_numpy(1.0 / spread).float())
        self.fit_ranges(landmarks, blendshapes)

    @torch.no_grad()
    def fit_ranges(self, landmarks: np.ndarray, blendshapes: np.ndarray) -> None:
        """Record each value's training range (always including 0, the dropped-out value).

        A renderer asked for an expression far outside what the subject ever showed (surprise from a subject
        filmed only calm) extrapolates wildly; holding every value within its widened training range keeps
        the face intact, at the cost of not showing more than the subject did.
        """
        groups = self._groups(torch.from_numpy(np.asarray(landmarks, np.float32)),
                              torch.from_numpy(np.asarray(blendshapes, np.float32)), clamp=False)
        for group in self.config.landmark_groups:
            values = groups[f"lm:{group}"]
            getattr(self, f"low_{group}").copy_(values.amin(0).clamp(max=0.0))
            getattr(self, f"high_{group}").copy_(values.amax(0).clamp(min=0.0))
        scaled = torch.from_numpy(np.asarray(blendshapes, np.float32)) * self.bs_scale
        self.bs_low.copy_(scaled.amin(0).clamp(max=0.0))
        self.bs_high.copy_(scaled.amax(0).clamp(min=0.0))

    def forward(self, landmarks: torch.Tensor, blendshapes: torch.Tensor) -> dict[str, torch.Tensor]:
        """(B, 478, 3), (B, 52) -> {group name: (B, size)} in ``config.group_sizes()`` order."""
        return self._groups(landmarks, blendshapes, clamp=True)

    def _groups(self, landmarks: torch.Tensor, blendshapes: torch.Tensor, clamp: bool) -> dict[str, torch.Tensor]:
        out: dict[str, torch.Tensor] = {}
        scaled = blendshapes * self.bs_scale
        if clamp:
            scaled = _within(scaled, self.bs_low, self.bs_high, self.config.range_margin)
        for group in self.config.blendshape_groups:
            out[f"bs:{group}"] = scaled[:, getattr(self, f"index_bs_{group}")]
        for group in self.config.landmark_groups:
            index = getattr(self, f"index_lm_{group}")
            flat = landmarks[:, index].reshape(len(landmarks), -1)
            coefficients = (flat - getattr(self, f"mean_{group}")) @ getattr(self, f"basis_{group}")
            coefficients = coefficients.clamp(-LIMIT, LIMIT)
            if clamp:
                coefficients = _within(coefficients, getattr(self, f"low_{group}"), getattr(self, f"high_{group}"),
                                       self.config.range_margin)
            out[f"lm:{group}"] = coefficients
        return out


def _within(values: torch.Tensor, low: torch.Tensor, high: torch.Tensor, margin: float) -> torch.Tensor:
    """Clamp to [low, high] widened on both sides by ``margin`` of its width."""
    pad = (high - low) * margin
    return torch.maximum(torch.minimum(values, high + pad), low - pad)
