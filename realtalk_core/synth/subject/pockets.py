"""Cavities behind the face's holes: the mouth (behind the inner lips) and the eye sockets.

A pocket is a few rings of vertices stepped back from a hole's rim, closed by a centre
vertex. Each ring vertex follows its rim vertex's displacement (by the ring's ``follow``
weight), so the mouth cavity opens with the lips and the jaw. Head space, metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .topology import bridge_faces


@dataclass(frozen=True)
class PocketRing:
    """One ring of a pocket, relative to the rim and the rim's centroid."""

    scale_x: float
    """Sideways scale of the rim about its centroid."""
    spread_y_m: float
    """Extra opening up (upper rim) and down (lower rim), metres."""
    depth_m: float
    """How far behind the rim the ring sits (metres, along -z)."""
    follow: float
    """How much of the rim vertex's displacement the ring follows."""


@dataclass(frozen=True)
class PocketConfig:
    """The shape of one cavity."""

    rings: tuple[PocketRing, ...]
    """From the rim inwards."""
    back_depth_m: float
    """Depth of the closing centre vertex behind the rim's centroid."""
    back_follow: float
    """How much of the rim's mean displacement the centre follows."""


def mouth_pocket_config() -> PocketConfig:
    """An oral cavity wider and taller than the lip opening, about 3.5 cm deep."""
    return PocketConfig(rings=(PocketRing(1.04, 0.002, 0.003, 1.0), PocketRing(1.12, 0.011, 0.011, 0.9),
                               PocketRing(0.95, 0.016, 0.024, 0.6)),
                        back_depth_m=0.036, back_follow=0.45)


def eye_pocket_config() -> PocketConfig:
    """A shallow socket behind the lids, seen only at the eye corners."""
    return PocketConfig(rings=(PocketRing(0.96, 0.0, 0.002, 0.5), PocketRing(0.7, 0.0, 0.007, 0.2)),
                        back_depth_m=0.012, back_follow=0.0)


@dataclass(frozen=True)
class Pocket:
    """Rest geometry of one cavity."""

    loop: np.ndarray      # (L,) rim vertex ids, in boundary order
    rest: np.ndarray      # (R * L + 1, 3) ring vertices then the centre
    follow: np.ndarray    # (R * L + 1,) displacement weights
    faces: np.ndarray     # (Q, 3) local ids, see topology.bridge_faces
    centre_follow: float = 0.0
    spread: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (L,) -1 lower rim .. +1 upper rim


def build_pocket(loop: np.ndarray, rim: np.ndarray, spread: np.ndarray, config: PocketConfig) -> Pocket:
    """A pocket behind ``rim`` (L, 3), the rest positions of ``loop``; ``spread`` (L,) in [-1, 1]."""
    centre = rim.mean(axis=0)
    rings = []
    for ring in config.rings:
        points = rim.copy()
        points[:, 0] = centre[0] + ring.scale_x * (rim[:, 0] - centre[0])
        points[:, 1] += spread * ring.spread_y_m
        points[:, 2] -= ring.depth_m
        rings.append(points)
    back = centre - np.array([0.0, 0.0, config.back_depth_m])
    rest = np.concatenate(rings + [back[None]])
    follow = np.concatenate([np.full(len(loop), ring.follow) for ring in config.rings] + [[0.0]])
    return Pocket(loop=loop, rest=rest, follow=follow, faces=bridge_faces(len(loop), len(config.rings)),
                  centre_follow=config.back_follow, spread=spread)


def pose_pocket(pocket: Pocket, face_rest: np.ndarray, face_posed: np.ndarray) -> np.ndarray:
    """(R * L + 1, 3) pocket vertices following the rim's displacement."""
    moved = face_posed[pocket.loop] - face_rest[pocket.loop]          # (L, 3)
    rings = len(pocket.rest) // len(pocket.loop)
    per_vertex = np.concatenate([np.tile(moved, (rings, 1)), moved.mean(axis=0, keepdims=True)])
    weights = pocket.follow.copy()
    weights[-1] = pocket.centre_follow
    return pocket.rest + weights[:, None] * per_vertex


def lip_spread(rim_open: np.ndarray) -> np.ndarray:
    """(L,) +1 for upper-lip rim points, -1 for lower, ~0 at the corners, from an opened mouth's rim (L, 3)."""
    corners = rim_open[[int(np.argmin(rim_open[:, 0])), int(np.argmax(rim_open[:, 0]))]]
    t = (rim_open[:, 0] - corners[0, 0]) / max(corners[1, 0] - corners[0, 0], 1e-9)
    line = corners[0, 1] + t * (corners[1, 1] - corners[0, 1])
    return np.clip((rim_open[:, 1] - line) / 0.003, -1.0, 1.0)
