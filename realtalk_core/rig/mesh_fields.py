"""Smooth scalar and vector fields over the canonical face mesh.

The rig's shapes are displacement fields: a few handle landmarks get a displacement
and the rest of the face follows through a smooth falloff. Two falloffs live here:

* harmonic extension over the mesh graph (a discrete Laplace equation with the handles
  and a zero ring as boundary conditions). Distances are measured *along the skin*,
  so with the mouth and eye openings cut out of the mesh, a lower-lip handle never
  drags the upper lip, however close the two are in space.
* a Gaussian of the Euclidean distance to a centre, for broad soft regions (cheeks).

Iris points (468-477) are not mesh vertices; fields are (478, ...) with the iris rows
zero unless a shape sets them explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..schema.channels import NUM_LANDMARKS, NUM_MESH_VERTICES

#: Leak towards zero, relative to the mean vertex degree: keeps the Laplace system
#: regular when a patch of free vertices touches no boundary (it then stays at zero).
_LEAK = 1e-9


def cut_openings(triangles: np.ndarray, contours: Sequence[Sequence[int]]) -> np.ndarray:
    """The triangles that do not fill a closed contour (the mouth and the eyes).

    MediaPipe's mesh is closed over the lips and lids; a triangle whose three corners
    all lie on one opening's contour fills that opening and is dropped.
    """
    keep = np.ones(len(triangles), dtype=bool)
    for contour in contours:
        on_contour = np.zeros(NUM_MESH_VERTICES, dtype=bool)
        on_contour[list(contour)] = True
        keep &= ~on_contour[triangles].all(axis=1)
    return triangles[keep]


def vertex_normals(vertices: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """(V, 3) unit normals: area-weighted sums of the incident (counter-clockwise) triangle normals."""
    a, b, c = (vertices[triangles[:, k]] for k in range(3))
    face = np.cross(b - a, c - a)                       # (F, 3), length = 2 * area
    normals = np.zeros_like(vertices, dtype=np.float64)
    for k in range(3):
        np.add.at(normals, triangles[:, k], face)
    return normals / np.linalg.norm(normals, axis=1, keepdims=True)


@dataclass(frozen=True)
class MeshGraph:
    """The edge graph of the (cut) mesh with inverse-length edge weights."""

    laplacian: np.ndarray  # (V, V) graph Laplacian D - W, V = 468

    @classmethod
    def from_mesh(cls, vertices: np.ndarray, triangles: np.ndarray) -> "MeshGraph":
        edges = np.concatenate([triangles[:, [0, 1]], triangles[:, [1, 2]], triangles[:, [2, 0]]])
        edges = np.unique(np.sort(edges, axis=1), axis=0)                # (E, 2)
        weight = 1.0 / np.linalg.norm(vertices[edges[:, 0]] - vertices[edges[:, 1]], axis=1)
        n = len(vertices)
        adjacency = np.zeros((n, n))
        adjacency[edges[:, 0], edges[:, 1]] = weight
        adjacency[edges[:, 1], edges[:, 0]] = weight
        return cls(laplacian=np.diag(adjacency.sum(axis=1)) - adjacency)

    def harmonic(self, fixed: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Harmonic extension: (V, D) field equal to ``values`` (K, D) on ``fixed`` (K,) vertices.

        Every free vertex is the weighted mean of its neighbours, so the field is smooth
        and never leaves the range of the boundary values.
        """
        n = len(self.laplacian)
        values = np.asarray(values, dtype=np.float64).reshape(len(fixed), -1)
        free = np.setdiff1d(np.arange(n), fixed)
        field = np.zeros((n, values.shape[1]))
        field[fixed] = values
        if free.size:
            system = self.laplacian[np.ix_(free, free)]
            system = system + _LEAK * np.trace(system) / free.size * np.eye(free.size)
            rhs = -self.laplacian[np.ix_(free, fixed)] @ values
            field[free] = np.linalg.solve(system, rhs)
        return field


def pad_to_landmarks(field: np.ndarray) -> np.ndarray:
    """(468, ...) vertex field -> (478, ...) landmark field with zero iris rows."""
    out = np.zeros((NUM_LANDMARKS,) + field.shape[1:])
    out[:NUM_MESH_VERTICES] = field
    return out


def gaussian(points: np.ndarray, centre: np.ndarray, sigma: float) -> np.ndarray:
    """(N,) Gaussian falloff exp(-|p - centre|^2 / 2 sigma^2) of the points (N, 3)."""
    dist2 = np.sum((points - centre) ** 2, axis=-1)
    return np.exp(-0.5 * dist2 / sigma**2)


def muscle_falloff(points: np.ndarray, insertion: np.ndarray, origin: np.ndarray, sigma: float,
                   far_share: float = 0.3) -> np.ndarray:
    """(N,) falloff of a pull along a muscle line, from its insertion to its origin.

    A Gaussian of the distance to the segment [insertion, origin], tapered linearly from 1
    at the insertion to ``far_share`` at the origin: the skin moves most where the muscle
    pulls and less along its line, so muscles with different lines leave different prints.
    """
    axis = origin - insertion
    t = np.clip((points - insertion) @ axis / (axis @ axis), 0.0, 1.0)     # (N,)
    nearest = insertion + t[:, None] * axis
    dist2 = np.sum((points - nearest) ** 2, axis=1)
    return (1.0 - (1.0 - far_share) * t) * np.exp(-0.5 * dist2 / sigma**2)


def smoothstep(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """0 below ``lo``, 1 above ``hi``, a C1 cubic in between."""
    t = np.clip((np.asarray(x, dtype=np.float64) - lo) / (hi - lo), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)
