"""Multi-resolution dense tri-planes: per level a ``[3, C, R, R]`` parameter sampled with ``grid_sample``.

Points arrive normalised to [-1, 1]^3 (the head box). Level features are the product of the three plane
samples (K-Planes' Hadamard combination: a point is "on" only where all three projections agree), and the
levels are concatenated. Coarse-to-fine training starts the planes small and doubles them
(:meth:`TriPlaneEncoding.upsample`), carrying the optimizer's moments along.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

#: The coordinate pairs each plane spans: xy, xz, yz.
PLANE_AXES = ((0, 1), (0, 2), (1, 2))


@dataclass(frozen=True)
class TriPlaneConfig:
    """Tri-plane encoding. ``resolutions`` are the final sizes; training starts at ``start_divisor`` times smaller."""

    channels: int = 8                       #: C, features per plane per level
    resolutions: tuple[int, ...] = (64, 128, 256)   #: final R per level
    start_divisor: int = 4                  #: planes start at R / start_divisor (1 = no coarse-to-fine)
    init_scale: float = 0.1                 #: planes start at 1 + N(0, init_scale) so products start near 1

    @property
    def features(self) -> int:
        return self.channels * len(self.resolutions)


class TriPlaneEncoding(nn.Module):
    def __init__(self, config: TriPlaneConfig, generator: torch.Generator | None = None) -> None:
        super().__init__()
        self.config = config
        planes = []
        for resolution in config.resolutions:
            size = max(4, resolution // config.start_divisor)
            init = 1.0 + config.init_scale * torch.randn(3, config.channels, size, size, generator=generator)
            planes.append(nn.Parameter(init))
        self.planes = nn.ParameterList(planes)

    @property
    def current_resolutions(self) -> tuple[int, ...]:
        return tuple(int(p.shape[-1]) for p in self.planes)

    @property
    def output_dim(self) -> int:
        return self.config.features

    def forward(self, points: torch.Tensor) -> torch.Tensor:
        """(N, 3) in [-1, 1] -> (N, C * levels)."""
        coords = torch.stack([points[:, list(axes)] for axes in PLANE_AXES])       # (3, N, 2)
        grid = coords[:, None]                                                       # (3, 1, N, 2)
        features = []
        for plane in self.planes:
            sampled = F.grid_sample(plane, grid, mode="bilinear", padding_mode="border",
                                    align_corners=True)                              # (3, C, 1, N)
            features.append(sampled[:, :, 0].prod(dim=0).t())                        # (N, C)
        return torch.cat(features, dim=-1)

    def resize_to(self, resolutions: tuple[int, ...]) -> None:
        """Set the plane sizes (used when a checkpoint was saved mid coarse-to-fine)."""
        for i, size in enumerate(resolutions):
            plane = self.planes[i]
            if plane.shape[-1] != size:
                self.planes[i] = nn.Parameter(torch.zeros(3, plane.shape[1], size, size, device=plane.device))

    @torch.no_grad()
    def upsample(self, optimizer: torch.optim.Optimizer | None = None) -> bool:
        """Double every plane that is below its final size; returns whether anything changed.

        The optimizer's entries for a resized plane are replaced in place (its Adam moments resized the
        same way), so training continues without a restart.
        """
        changed = False
        for i, final in enumerate(self.config.resolutions):
            old = self.planes[i]
            size = min(final, old.shape[-1] * 2)
            if size == old.shape[-1]:
                continue
            new = nn.Parameter(_resize(old.data, size))
            if optimizer is not None:
                _swap_in_optimizer(optimizer, old, new, size)
            self.planes[i] = new
            changed = True
        return changed

    def tv_loss(self) -> torch.Tensor:
        """Total variation of the planes (smoothness prior)."""
        total = self.planes[0].new_zeros(())
        for plane in self.planes:
            total = total + (plane[..., 1:, :] - plane[..., :-1, :]).square().mean() \
                + (plane[..., :, 1:] - plane[..., :, :-1]).square().mean()
        return total / len(self.planes)


def _resize(tensor: torch.Tensor, size: int) -> torch.Tensor:
    return F.interpolate(tensor, size=(size, size), mode="bilinear", align_corners=True).contiguous()


def _swap_in_optimizer(optimizer: torch.optim.Optimizer, old: nn.Parameter, new: nn.Parameter, size: int) -> None:
    for group in optimizer.param_groups:
        for j, param in enumerate(group["params"]):
            if param is old:
                group["params"][j] = new
    state = optimizer.state.pop(old, None)
    if state is not None:
        optimizer.state[new] = {k: (_resize(v, size) if torch.is_tensor(v) and v.dim() == 4 else v)
                                for k, v in state.items()}
