"""The back of the head: rings of vertices bridged from the face oval around to a pole.

Each face-oval vertex starts a path: first a short step along the face's own surface
(so shading stays continuous across the seam), then a great-circle arc about the skull
centre to the pole at the back of the head, its radius blending into an ellipsoid (the
cranium). Vertices are in head space (metres, +x the subject's left, +y up, +z forward).

When the face deforms (the jaw opens, cheeks puff), each path follows its oval vertex's
displacement, fading out towards the back, so the shell never tears from the face.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .topology import bridge_faces


@dataclass(frozen=True)
class SkullConfig:
    """The cranium ellipsoid and how finely the shell is cut."""

    centre: tuple[float, float, float] = (0.0, 0.012, -0.048)
    """Centre of the cranium ellipsoid in head space (metres)."""
    radii: tuple[float, float, float] = (0.079, 0.118, 0.100)
    """Half-axes of the cranium ellipsoid along x, y, z (metres)."""
    rings: int = 10
    """Rings of vertices between the face oval and the back pole."""
    lead_m: float = 0.012
    """Length of the first step, along the face's surface, away from the oval."""
    blend: float = 0.35
    """Fraction of the arc over which the radius blends from the face's to the ellipsoid's."""
    lower_taper: float = 0.22
    """How much the cranium narrows below its centre (towards the jaw's underside and the nape)."""
    follow_power: float = 2.0
    """How quickly the face's deformation fades along a path: (1 - s) ** follow_power."""


@dataclass(frozen=True)
class SkullShell:
    """Rest geometry of the shell and how it attaches to the face."""

    rest: np.ndarray       # (R * L + 1, 3) ring vertices (ring-major) then the pole
    follow: np.ndarray     # (R * L + 1,) weight of the owning oval vertex's displacement
    owner: np.ndarray      # (R * L + 1,) face vertex id each shell vertex follows
    faces: np.ndarray      # (Q, 3) triangles over local ids [oval loop | shell vertices], see bridge_faces
    ring_param: np.ndarray  # (R * L + 1,) arc parameter s in (0, 1] of each shell vertex


def _slerp(a: np.ndarray, b: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Great-circle interpolation between unit vectors a (L, 3) and b (3,), at fractions s (R,) -> (R, L, 3)."""
    cos = np.clip(a @ b, -1.0, 1.0)                       # (L,)
    angle = np.arccos(cos)[None, :, None]                  # (1, L, 1)
    sin = np.maximum(np.sin(angle), 1e-9)
    s = s[:, None, None]
    return (np.sin((1 - s) * angle) * a[None] + np.sin(s * angle) * b[None, None]) / sin


def ellipsoid_radius(directions: np.ndarray, radii: np.ndarray, lower_taper: float = 0.0) -> np.ndarray:
    """Distance from the centre to the cranium along unit ``directions`` (..., 3): an ellipsoid,
    narrowed by up to ``lower_taper`` below its centre."""
    below = np.clip(-directions[..., 1], 0.0, 1.0) ** 1.5
    return (1.0 - lower_taper * below) / np.sqrt(((directions / radii) ** 2).sum(axis=-1))


def build_skull(face: np.ndarray, normals: np.ndarray, outer: np.ndarray, neighbours: list[list[int]],
                config: SkullConfig) -> SkullShell:
    """The shell bridged to the oval ``outer`` (L,) of ``face`` (468, 3) with vertex ``normals``.

    ``neighbours[v]`` lists the mesh neighbours of vertex v (to find the inward direction).
    """
    centre, radii = np.asarray(config.centre), np.asarray(config.radii)
    oval = face[outer]                                                   # (L, 3)
    inward = np.stack([face[[n for n in neighbours[v] if n not in set(outer.tolist())] or [v]].mean(axis=0)
                       for v in outer])                                   # (L, 3)
    step = oval - inward
    n = normals[outer]
    step -= (step * n).sum(axis=1, keepdims=True) * n                    # keep it in the tangent plane
    step /= np.maximum(np.linalg.norm(step, axis=1, keepdims=True), 1e-9)
    lead = oval + config.lead_m * step                                    # (L, 3) first ring

    first = lead - centre
    start_radius = np.linalg.norm(first, axis=1)
    start_dir = first / start_radius[:, None]
    pole_dir = np.array([0.0, 0.0, -1.0])
    rings = config.rings
    s = np.linspace(0.0, 1.0, rings + 1)[:-1]                             # (R,) ring 0 is the lead ring
    dirs = _slerp(start_dir, pole_dir, s)                                 # (R, L, 3)
    blend = np.clip(s / config.blend, 0.0, 1.0)
    blend = blend * blend * (3 - 2 * blend)                               # smoothstep
    radius = (1 - blend)[:, None] * start_radius[None] + blend[:, None] * ellipsoid_radius(dirs, radii, config.lower_taper)
    ring_points = centre + dirs * radius[..., None]                       # (R, L, 3)
    pole = centre + pole_dir * ellipsoid_radius(pole_dir, radii, config.lower_taper)

    loop = len(outer)
    rest = np.concatenate([ring_points.reshape(-1, 3), pole[None]])
    param = np.concatenate([np.repeat((np.arange(rings) + 1.0) / (rings + 1), loop), [1.0]])
    follow = (1.0 - param) ** config.follow_power
    owner = np.concatenate([np.tile(outer, rings), [outer[0]]])
    owner_follow = follow.copy()
    owner_follow[-1] = 0.0
    return SkullShell(rest=rest, follow=owner_follow, owner=owner, faces=bridge_faces(loop, rings), ring_param=param)


def pose_skull(shell: SkullShell, face_rest: np.ndarray, face_posed: np.ndarray) -> np.ndarray:
    """(N, 3) shell vertices following the face's displacement ``face_posed - face_rest`` (468, 3)."""
    moved = face_posed[shell.owner] - face_rest[shell.owner]
    return shell.rest + shell.follow[:, None] * moved
