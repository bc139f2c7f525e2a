"""Which part of the face each triangle of MediaPipe's canonical mesh belongs to.

The canonical mesh is closed over the eyes and the mouth: the triangles spanning each
eye contour are the visible eyeball, and those spanning the inner lip contour are the
mouth opening (a slit when the mouth is closed, a dark hole when it opens). Regions are
found once, from the neutral mesh and the named ``LANDMARK_GROUPS``; no index is
hard-coded here.
"""

from __future__ import annotations

from enum import IntEnum

import cv2
import numpy as np

from realtalk_core.assets.canonical_mesh import CanonicalMesh
from realtalk_core.schema import LANDMARK_GROUPS


class Region(IntEnum):
    """A triangle's part of the face; also the value written into the label buffer."""

    SKIN = 0
    LIPS = 1
    MOUTH = 2
    EYE_RIGHT = 3
    EYE_LEFT = 4
    BROW = 5


#: Each eye region and the landmark group of its iris (the subject's own sides).
EYE_IRIS_GROUPS: tuple[tuple[Region, str], ...] = (
    (Region.EYE_RIGHT, "iris_right"),
    (Region.EYE_LEFT, "iris_left"),
)

#: Regions made of the triangles whose three corners all lie on one landmark group.
_SPANNED_BY: tuple[tuple[Region, str], ...] = (
    (Region.MOUTH, "lips_inner"),
    (Region.EYE_RIGHT, "eye_right"),
    (Region.EYE_LEFT, "eye_left"),
    (Region.BROW, "brow_right"),
    (Region.BROW, "brow_left"),
)


def _spanned(triangles: np.ndarray, group: str) -> np.ndarray:
    """(F,) bool: triangles whose three vertices are all in the landmark group."""
    members = np.zeros(int(triangles.max()) + 1, bool)
    ids = np.array(LANDMARK_GROUPS[group])
    members[ids[ids < members.size]] = True
    return members[triangles].all(axis=1)


def _inside_contour(points_xy: np.ndarray, contour_xy: np.ndarray) -> np.ndarray:
    """(N,) bool: which of (N, 2) points lie strictly inside the closed (K, 2) contour."""
    contour = contour_xy.astype(np.float32).reshape(-1, 1, 2)
    return np.array([cv2.pointPolygonTest(contour, (float(x), float(y)), False) > 0
                     for x, y in points_xy], bool)


def triangle_regions(mesh: CanonicalMesh) -> np.ndarray:
    """(F,) uint8 Region of every triangle of ``mesh``.

    Lips are the triangles whose centroid lies inside the outer lip contour in the front
    view (x, y of the neutral mesh), less the mouth opening.
    """
    triangles = mesh.triangles                                          # (F, 3)
    regions = np.full(len(triangles), Region.SKIN, np.uint8)
    centroids_xy = mesh.vertices[triangles].mean(axis=1)[:, :2]         # (F, 2)
    lips_outer_xy = mesh.vertices[list(LANDMARK_GROUPS["lips_outer"])][:, :2]
    regions[_inside_contour(centroids_xy, lips_outer_xy)] = Region.LIPS
    for region, group in _SPANNED_BY:
        regions[_spanned(triangles, group)] = region
    return regions
