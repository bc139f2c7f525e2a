"""Hair, ears, neck and torso geometry (numpy, metres).

Hair and ears live in head space and move rigidly with the head. The torso is built in
the head's *rest* frame and stays still. The neck is a tube whose bottom rings sit in
the torso and whose top rings sit inside the skull; per frame its top follows the head
and its bottom stays, blended smoothly along its length, so it bends instead of tearing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .shapes import Mesh, ellipsoid, loft, superellipse


@dataclass(frozen=True)
class HairConfig:
    """A short haircut: a shell over the cranium above a slanted hairline."""

    hairline_y_m: float = 0.072
    """Height of the hairline at the forehead (head space y, metres)."""
    hairline_front_z_m: float = 0.03
    """Depth (z) at which the hairline has that height."""
    hairline_slope: float = 0.75
    """How fast the hairline drops towards the nape (dy per dz)."""
    thickness_m: float = 0.014
    """Thickness of the hair mass on the crown."""
    edge_m: float = 0.012
    """Distance above the hairline over which the hair thickens from nothing."""


@dataclass(frozen=True)
class BodyConfig:
    """Neck and torso proportions (head space of the rest pose, metres)."""

    neck_radii: tuple[float, float] = (0.057, 0.054)
    """Half width (x) and half depth (z) of the neck."""
    neck_top: tuple[float, float, float] = (0.0, -0.05, -0.05)
    """Centre of the neck's top ring, hidden inside the skull."""
    neck_bottom: tuple[float, float, float] = (0.0, -0.175, -0.06)
    """Centre of the neck's bottom ring, hidden inside the torso."""
    neck_rings: int = 9
    """Rings along the neck."""
    torso_sections: tuple[tuple[float, float, float, float], ...] = (
        (-0.42, 0.19, 0.11, 0.0), (-0.27, 0.205, 0.115, 0.0), (-0.225, 0.2, 0.11, 0.0),
        (-0.195, 0.18, 0.1, 0.0), (-0.172, 0.14, 0.09, 0.0), (-0.158, 0.095, 0.075, 0.005),
        (-0.148, 0.066, 0.062, 0.008))
    """Horizontal cross-sections bottom to top: (y, half width, half depth, z offset)."""
    torso_z_m: float = -0.065
    """Depth of the torso's axis."""


def hair_mesh(shell_vertices: np.ndarray, shell_faces: np.ndarray, shell_normals: np.ndarray,
              config: HairConfig) -> Mesh:
    """The hair: the cranium's triangles above the hairline, pushed out by a tapered thickness."""
    y, z = shell_vertices[:, 1], shell_vertices[:, 2]
    line = config.hairline_y_m + config.hairline_slope * (z - config.hairline_front_z_m)
    above = (y - line) / config.edge_m                                # 0 at the hairline, 1 at full thickness
    keep_vertex = above > -0.3
    keep = keep_vertex[shell_faces].all(axis=1)
    used = np.unique(shell_faces[keep])
    ramp = np.clip(above[used], 0.0, 1.0)
    thickness = 0.0015 + config.thickness_m * ramp * ramp * (3 - 2 * ramp)
    outer = shell_vertices[used] + shell_normals[used] * thickness[:, None]
    inner = shell_vertices[used] - shell_normals[used] * 0.004      # a lining, so the rim has body
    remap = np.full(len(shell_vertices), -1)
    remap[used] = np.arange(len(used))
    tris_out = remap[shell_faces[keep]]
    tris_in = tris_out[:, ::-1] + len(used)
    rim = _open_edges(tris_out)
    side = [(a, b, b + len(used)) for a, b in rim] + [(a, b + len(used), a + len(used)) for a, b in rim]
    return np.concatenate([outer, inner]), np.concatenate([tris_out, tris_in, np.asarray(side, np.int64)])


def _open_edges(tris: np.ndarray) -> list[tuple[int, int]]:
    """Directed edges used by exactly one triangle."""
    count: dict[tuple[int, int], int] = {}
    for tri in tris.tolist():
        for a, b in ((tri[0], tri[1]), (tri[1], tri[2]), (tri[2], tri[0])):
            key = (min(a, b), max(a, b))
            count[key] = count.get(key, 0) + 1
    return [(a, b) for tri in tris.tolist() for a, b in ((tri[0], tri[1]), (tri[1], tri[2]), (tri[2], tri[0]))
            if count[(min(a, b), max(a, b))] == 1]


def ear_meshes(skull_centre: tuple[float, float, float], skull_half_width: float) -> list[Mesh]:
    """Two simple ears: flattened ellipsoids at the sides of the head, tilted back."""
    out = []
    for side in (1.0, -1.0):
        vertices, tris = ellipsoid((0.009, 0.03, 0.018), segments=20, rings=10)
        tilt = np.deg2rad(15.0)
        rot = np.array([[1, 0, 0], [0, np.cos(tilt), -np.sin(tilt)], [0, np.sin(tilt), np.cos(tilt)]])
        flare = np.deg2rad(side * 20.0)
        yaw = np.array([[np.cos(flare), 0, np.sin(flare)], [0, 1, 0], [-np.sin(flare), 0, np.cos(flare)]])
        centre = np.array([side * (skull_half_width - 0.002), skull_centre[1] - 0.012, skull_centre[2] + 0.018])
        out.append((vertices @ (yaw @ rot).T + centre, tris))
    return out


def torso_mesh(config: BodyConfig, segments: int = 48) -> Mesh:
    """The shoulders and chest in the rest head frame."""
    sections = []
    for y, half_x, half_z, dz in config.torso_sections:
        xz = superellipse(half_x, half_z, segments)
        sections.append(np.stack([xz[:, 0], np.full(segments, y), xz[:, 1] + config.torso_z_m + dz], axis=1))
    return loft(np.stack(sections))


def neck_rest(config: BodyConfig, segments: int = 32) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rest neck (vertices, triangles) in the rest head frame, and each vertex's head weight in [0, 1]."""
    bottom, top = np.asarray(config.neck_bottom), np.asarray(config.neck_top)
    u = np.linspace(0.0, 1.0, config.neck_rings)
    xz = superellipse(config.neck_radii[0], config.neck_radii[1], segments, power=2.2)
    sections = []
    for t in u:
        centre = bottom + t * (top - bottom)
        pinch = 1.0 - 0.1 * np.sin(np.pi * t)                           # a little narrower mid-neck
        sections.append(np.stack([centre[0] + pinch * xz[:, 0], np.full(segments, centre[1]),
                                  centre[2] + pinch * xz[:, 1]], axis=1))
    vertices, tris = loft(np.stack(sections), cap_start=False, cap_end=False)
    ramp = np.clip((u - 0.25) / 0.6, 0.0, 1.0)
    weight = np.repeat(ramp * ramp * (3 - 2 * ramp), segments)
    return vertices, tris, weight


def pose_neck(rest: np.ndarray, weight: np.ndarray, rest_pose: np.ndarray, head_pose: np.ndarray) -> np.ndarray:
    """(V, 3) neck vertices in camera space: each blends the still rest position and the head-moved one."""
    still = rest @ rest_pose[:3, :3].T + rest_pose[:3, 3]
    moved = rest @ head_pose[:3, :3].T + head_pose[:3, 3]
    return still + weight[:, None] * (moved - still)
