"""Where along a ray the field is evaluated: the head box, an occupancy grid and importance sampling.

Rays live in the head box's normalised space ([-1, 1]^3) with unit directions, so interval lengths are in
box units. The occupancy grid holds, per cell, the largest density the field has shown there under any
training expression (a running maximum, re-measured every few hundred steps). It is the proposal: its
compositing weights along the ray (density capped, so a surface spreads over a few cells, plus a little
uniform mass so nothing is starved) are what the final samples are drawn from. Empty cells get no samples
and the proposal costs table lookups, not field evaluations.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class SamplerConfig:
    coarse_samples: int = 32          #: stratified samples per ray for the density-only pass
    fine_samples: int = 16            #: samples per ray where the full field is evaluated
    grid_resolution: int = 48         #: occupancy cells per axis
    occupancy_threshold: float = 0.01 #: a cell is occupied when its alpha over a coarse step exceeds this
    proposal_alpha: float = 0.5       #: cap on the proposal's alpha per coarse step (spreads a surface)
    grid_decay: float = 0.95          #: EMA decay of the cell densities between updates
    uniform_mass: float = 0.02        #: share of the proposal spread uniformly along the ray


def ray_box(origins: torch.Tensor, directions: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(R, 3) rays against [-1, 1]^3 -> near, far (R,) and a hit mask."""
    inverse = 1.0 / torch.where(directions.abs() < 1e-9, torch.full_like(directions, 1e-9), directions)
    t0, t1 = (-1.0 - origins) * inverse, (1.0 - origins) * inverse
    near = torch.minimum(t0, t1).amax(dim=-1).clamp_min(0.0)
    far = torch.maximum(t0, t1).amin(dim=-1)
    return near, far, far > near + 1e-6


def stratified(near: torch.Tensor, far: torch.Tensor, count: int, generator: torch.Generator | None) -> torch.Tensor:
    """(R,) bounds -> (R, count + 1) interval edges; jittered when a generator is given (training)."""
    steps = torch.linspace(0.0, 1.0, count + 1, device=near.device)
    edges = near[:, None] + (far - near)[:, None] * steps
    if generator is not None:
        width = (far - near)[:, None] / count
        jitter = (torch.rand(edges.shape, generator=generator, device="cpu").to(near.device) - 0.5) * width
        jitter[:, 0] = 0.0
        jitter[:, -1] = 0.0
        edges = edges + jitter
    return edges


def importance(edges: torch.Tensor, weights: torch.Tensor, count: int, uniform_mass: float,
               generator: torch.Generator | None) -> torch.Tensor:
    """Draw ``count + 1`` sorted interval edges from the piecewise-constant pdf ``weights`` over ``edges``.

    ``edges`` (R, S + 1), ``weights`` (R, S) -> (R, count + 1). Deterministic (evenly spaced quantiles)
    without a generator.
    """
    pdf = weights + 1e-8
    pdf = pdf / pdf.sum(-1, keepdim=True)
    pdf = (1.0 - uniform_mass) * pdf + uniform_mass / pdf.shape[-1]
    cdf = torch.cat([torch.zeros_like(pdf[:, :1]), pdf.cumsum(-1)], dim=-1).clamp(max=1.0)
    cdf[:, -1] = 1.0
    rows = edges.shape[0]
    if generator is not None:
        u = (torch.arange(count + 1, device=edges.device) + torch.rand(rows, count + 1, generator=generator).to(edges.device)) / (count + 1)
    else:
        u = torch.linspace(0.0, 1.0, count + 1, device=edges.device).expand(rows, count + 1)
    u = u.contiguous().clamp(0.0, 1.0 - 1e-6)
    index = torch.searchsorted(cdf, u, right=True).clamp(1, cdf.shape[-1] - 1)
    lo_c, hi_c = cdf.gather(-1, index - 1), cdf.gather(-1, index)
    lo_e, hi_e = edges.gather(-1, index - 1), edges.gather(-1, index)
    t = (u - lo_c) / (hi_c - lo_c).clamp_min(1e-8)
    samples = lo_e + t * (hi_e - lo_e)
    samples[:, 0] = edges[:, 0]
    samples[:, -1] = edges[:, -1]
    return torch.sort(samples, dim=-1).values


class OccupancyGrid(nn.Module):
    """A (G, G, G) grid of running cell densities over the head box; empty cells are skipped."""

    def __init__(self, config: SamplerConfig) -> None:
        super().__init__()
        self.config = config
        g = config.grid_resolution
        self.register_buffer("density", torch.zeros((g, g, g)))          # uniform proposal until first update
        self.register_buffer("updates", torch.zeros((), dtype=torch.long))

    def cell_index(self, points: torch.Tensor) -> torch.Tensor:
        g = self.config.grid_resolution
        cells = ((points + 1.0) * 0.5 * g).long().clamp(0, g - 1)
        return (cells[..., 0] * g + cells[..., 1]) * g + cells[..., 2]

    def proposal_density(self, points: torch.Tensor, step: float) -> torch.Tensor:
        """(..., 3) -> (...) the cell's density, capped at ``proposal_alpha`` per ``step``."""
        cap = -torch.log(torch.tensor(1.0 - self.config.proposal_alpha)) / step
        return self.density.reshape(-1)[self.cell_index(points)].clamp(max=float(cap))

    def occupied(self, points: torch.Tensor, step: float) -> torch.Tensor:
        """(..., 3) -> (...) bool: the point's cell can hold visible density at this step length."""
        density = self.density.reshape(-1)[self.cell_index(points)]
        return (1.0 - torch.exp(-density * step)) > self.config.occupancy_threshold

    @torch.no_grad()
    def update(self, density_fn, generator: torch.Generator, step: float) -> float:
        """Re-measure every cell at a jittered point with ``density_fn((N, 3)) -> (N,)``; returns the occupied share."""
        g = self.config.grid_resolution
        axis = torch.arange(g, dtype=torch.float32)
        cells = torch.stack(torch.meshgrid(axis, axis, axis, indexing="ij"), dim=-1).reshape(-1, 3)
        points = (cells + torch.rand(cells.shape, generator=generator)) / g * 2.0 - 1.0
        device = self.density.device
        measured = torch.cat([density_fn(chunk.to(device)) for chunk in points.split(65536)])
        previous = self.density.reshape(-1)
        self.density.copy_(torch.maximum(previous * self.config.grid_decay, measured).reshape(g, g, g))
        self.updates += 1
        return float(self.occupied_share(step))

    def occupied_share(self, step: float) -> torch.Tensor:
        return ((1.0 - torch.exp(-self.density * step)) > self.config.occupancy_threshold).float().mean()
