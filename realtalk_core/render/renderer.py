"""Volume rendering: alpha compositing of per-sample densities and values along rays."""

from __future__ import annotations

import torch


def render_weights(density: torch.Tensor, deltas: torch.Tensor) -> torch.Tensor:
    """(R, S) densities and interval lengths -> (R, S) compositing weights (front to back)."""
    alpha = 1.0 - torch.exp(-density * deltas)
    transmittance = torch.cumprod(torch.cat([torch.ones_like(alpha[:, :1]), 1.0 - alpha + 1e-10], dim=1), dim=1)
    return alpha * transmittance[:, :-1]


def accumulate(weights: torch.Tensor, values: torch.Tensor) -> torch.Tensor:
    """(R, S) weights, (R, S, C) values -> (R, C) premultiplied sums."""
    return torch.einsum("rs,rsc->rc", weights, values)
