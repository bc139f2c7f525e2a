"""The neck-and-torso branch: a light 2D field over image position, conditioned on the head pose.

The torso barely moves while the head turns and nods above it; the neck bends between them. A per-pixel
MLP of Fourier-encoded image position and the head pose gives features the image decoder blends with the
head's, so the head-torso join is learnt in one place and no seam appears.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class TorsoConfig:
    bands: int = 6            #: Fourier frequencies per image axis
    hidden: int = 48          #: per-pixel MLP width
    features: int = 8         #: output features for the decoder
    pose_dim: int = 9         #: head pose summary: 6D rotation + translation


def pose_summary(head_pose: torch.Tensor, reference: torch.Tensor) -> torch.Tensor:
    """(B, 4, 4) -> (B, 9): the first two rotation columns and the translation relative to ``reference`` (3,) in cm."""
    rotation = head_pose[:, :3, :2].reshape(len(head_pose), 6)
    translation = (head_pose[:, :3, 3] - reference) * 100.0
    return torch.cat([rotation, translation], dim=-1)


class TorsoField(nn.Module):
    def __init__(self, config: TorsoConfig) -> None:
        super().__init__()
        self.config = config
        width = config.hidden
        # The first layer is split into its position part (the same for every frame of a size, cached when
        # rendering) and its pose part (one vector per frame); together they are one 1x1 conv of the concat.
        self.position_in = nn.Conv2d(2 + 4 * config.bands, width, 1)
        self.pose_in = nn.Linear(config.pose_dim, width, bias=False)
        self.mlp = nn.Sequential(nn.ReLU(), nn.Conv2d(width, width, 1), nn.ReLU(), nn.Conv2d(width, config.features, 1))
        self._cache: tuple[tuple, torch.Tensor] | None = None

    def encode_position(self, uv: torch.Tensor) -> torch.Tensor:
        """(H, W, 2) -> (1, hidden, H, W): the position part of the first layer."""
        frequencies = (2.0 ** torch.arange(self.config.bands, device=uv.device, dtype=uv.dtype)) * math.pi
        angles = (uv * 2.0 - 1.0)[..., None] * frequencies                   # (H, W, 2, bands)
        encoded = torch.cat([uv * 2.0 - 1.0, angles.sin().flatten(-2), angles.cos().flatten(-2)], dim=-1)
        return self.position_in(encoded.permute(2, 0, 1)[None])

    def forward(self, uv: torch.Tensor, pose: torch.Tensor) -> torch.Tensor:
        """``uv`` (H, W, 2) normalised image coordinates, ``pose`` (B, 9) -> (B, features, H, W)."""
        if torch.is_grad_enabled() or self.training:
            position = self.encode_position(uv)
        else:
            key = (tuple(uv.shape), float(uv[0, 0, 0]), float(uv[0, 0, 1]), uv.device)
            if self._cache is None or self._cache[0] != key:
                self._cache = (key, self.encode_position(uv))
            position = self._cache[1]
        first = position + self.pose_in(pose)[:, :, None, None]
        if not torch.is_grad_enabled():
            first = first.contiguous(memory_format=torch.channels_last)
        return self.mlp(first)

    def train(self, mode: bool = True) -> "TorsoField":
        self._cache = None
        return super().train(mode)
