"""Left/right symmetry of the 478 landmarks: the mirror map and mirroring of point sets.

The mirror of landmark ``i`` is the landmark nearest to ``i``'s image under x -> -x
(the Take's frame has +x on the subject's left, so the mirror swaps the sides).
Mesh vertices are matched among mesh vertices, iris points among the other eye's
iris points (so the +x rim point of one iris maps to the -x rim point of the other).
Points on the midline map to themselves.
"""

from __future__ import annotations

import numpy as np

from ..schema.channels import LANDMARK_GROUPS, NUM_LANDMARKS, NUM_MESH_VERTICES

#: Points closer than this to the plane x = 0 are on the midline (metres).
MIDLINE_TOLERANCE_M = 1e-5
#: x -> -x, as a broadcastable row.
FLIP_X = np.array([-1.0, 1.0, 1.0])


def _nearest(queries: np.ndarray, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index into ``candidates`` (K, 3) of the nearest one to each query (Q, 3), and its distance."""
    dist = np.linalg.norm(queries[:, None, :] - candidates[None, :, :], axis=2)  # (Q, K)
    nearest = dist.argmin(axis=1)
    return nearest, dist[np.arange(len(queries)), nearest]


def mirror_map(neutral: np.ndarray) -> np.ndarray:
    """(478,) int: for each landmark, the index of its left/right partner.

    ``neutral`` is a symmetric (478, 3) face such as the canonical neutral. Raises
    ValueError when the result is not an involution (the face is not symmetric).
    """
    points = np.asarray(neutral, dtype=np.float64)
    if points.shape != (NUM_LANDMARKS, 3):
        raise ValueError(f"expected (478, 3) landmarks, got {points.shape}")
    partner = np.arange(NUM_LANDMARKS)
    mesh = np.arange(NUM_MESH_VERTICES)
    off_midline = mesh[np.abs(points[mesh, 0]) > MIDLINE_TOLERANCE_M]
    nearest, _ = _nearest(points[off_midline] * FLIP_X, points[mesh])
    partner[off_midline] = mesh[nearest]
    for side, other in (("iris_right", "iris_left"), ("iris_left", "iris_right")):
        ids, other_ids = np.array(LANDMARK_GROUPS[side]), np.array(LANDMARK_GROUPS[other])
        nearest, _ = _nearest(points[ids] * FLIP_X, points[other_ids])
        partner[ids] = other_ids[nearest]
    if not np.array_equal(partner[partner], np.arange(NUM_LANDMARKS)):
        bad = np.flatnonzero(partner[partner] != np.arange(NUM_LANDMARKS))
        raise ValueError(f"mirror map is not an involution at landmarks {bad[:10].tolist()}; "
                         "is the neutral face symmetric?")
    return partner


def mirror_error(neutral: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """(478,) distance in metres between each landmark and its partner's mirror image."""
    points = np.asarray(neutral, dtype=np.float64)
    return np.linalg.norm(points - points[partner] * FLIP_X, axis=1)


def mirror_points(points: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """Mirror a landmark-indexed array of points or displacements (..., 478, 3).

    ``out[..., i] = flip_x(points[..., partner[i]])``: the left side's values move to
    the right side with x negated. Applying it twice gives ``points`` back.
    """
    return np.asarray(points)[..., partner, :] * FLIP_X.astype(np.asarray(points).dtype)


def symmetrize(points: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """The exactly mirror-symmetric part of a (..., 478, 3) field: the mean of it and its mirror."""
    return 0.5 * (points + mirror_points(points, partner))
