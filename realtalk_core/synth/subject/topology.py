"""The canonical face mesh opened at the eyes and the mouth, and its ordered boundary loops.

MediaPipe's canonical mesh covers the eye openings and the lip gap with triangles. The
renderer removes those (every triangle whose three corners lie on one eye contour or on
the inner lip contour), so the lid rims and the inner lips bound holes that eyeballs and
the mouth cavity show through. The outer boundary (the face oval) is where the skull
shell is bridged on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from ...schema.channels import LANDMARK_GROUPS, NUM_MESH_VERTICES

#: The landmark groups whose contours become holes.
HOLE_GROUPS = ("eye_right", "eye_left", "lips_inner")


@dataclass(frozen=True)
class FaceTopology:
    """Triangles of the opened face and its boundary loops (vertex ids, in order)."""

    triangles: np.ndarray          # (F, 3) int, counter-clockwise seen from the front
    outer: np.ndarray              # (36,) face-oval loop, counter-clockwise seen from the front
    holes: dict[str, np.ndarray]   # group name -> ordered loop (as in LANDMARK_GROUPS)


def open_face(triangles: np.ndarray) -> FaceTopology:
    """Remove the eye and mouth covers of ``triangles`` (898, 3) and order the boundary loops."""
    triangles = np.asarray(triangles, np.int64)
    keep = np.ones(len(triangles), bool)
    for group in HOLE_GROUPS:
        members = np.zeros(NUM_MESH_VERTICES, bool)
        members[list(LANDMARK_GROUPS[group])] = True
        keep &= ~members[triangles].all(axis=1)
    opened = triangles[keep]
    loops = boundary_loops(opened)
    oval = set(LANDMARK_GROUPS["face_oval"])
    outer = next((loop for loop in loops if set(loop.tolist()) == oval), None)
    if outer is None:
        raise ValueError("the canonical mesh's outer boundary is not the face oval")
    holes = {group: np.asarray(LANDMARK_GROUPS[group], np.int64) for group in HOLE_GROUPS}
    return FaceTopology(triangles=opened, outer=outer, holes=holes)


def boundary_loops(triangles: np.ndarray) -> list[np.ndarray]:
    """Ordered boundary loops of a triangle mesh, each following the triangles' winding."""
    count: dict[tuple[int, int], int] = defaultdict(int)
    directed: dict[int, int] = {}
    for tri in triangles.tolist():
        for a, b in ((tri[0], tri[1]), (tri[1], tri[2]), (tri[2], tri[0])):
            count[(min(a, b), max(a, b))] += 1
    for tri in triangles.tolist():
        for a, b in ((tri[0], tri[1]), (tri[1], tri[2]), (tri[2], tri[0])):
            if count[(min(a, b), max(a, b))] == 1:
                directed[a] = b
    loops, seen = [], set()
    for start in directed:
        if start in seen:
            continue
        loop, cur = [], start
        while cur not in seen:
            seen.add(cur)
            loop.append(cur)
            cur = directed[cur]
        loops.append(np.asarray(loop, np.int64))
    return loops


def vertex_normals(points: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """(N, 3) area-weighted unit vertex normals of a triangle mesh."""
    a, b, c = (points[triangles[:, i]] for i in range(3))
    face = np.cross(b - a, c - a)
    normals = np.zeros_like(points, dtype=np.float64)
    for i in range(3):
        np.add.at(normals, triangles[:, i], face)
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    return normals / np.maximum(length, 1e-12)


def bridge_faces(loop: int, rings: int) -> np.ndarray:
    """Triangles from a boundary loop outwards over ``rings`` rings to a closing pole.

    Local ids: 0..L-1 the loop (in the direction boundary_loops gives, the mesh on its
    left), then ``L + r * L + i`` ring r's vertex i, then the pole ``L + rings * L``.
    The new triangles are wound like the mesh they continue.
    """
    tris = []

    def ring(r: int, i: int) -> int:
        return i % loop if r < 0 else loop + r * loop + i % loop

    for r in range(rings):
        for i in range(loop):
            a, b, c, d = ring(r - 1, i), ring(r - 1, i + 1), ring(r, i + 1), ring(r, i)
            tris += [(a, d, b), (b, d, c)]
    pole = loop + rings * loop
    tris += [(ring(rings - 1, i), pole, ring(rings - 1, i + 1)) for i in range(loop)]
    return np.asarray(tris, np.int64)
