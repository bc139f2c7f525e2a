"""The rig's anatomy: openings cut out of the mesh, harmonic masks, contour splitting."""

from __future__ import annotations

import numpy as np

from realtalk_core.rig.contours import closing_deltas, split_opening
from realtalk_core.rig.mesh_fields import MeshGraph, cut_openings
from realtalk_core.rig.regions import FaceRegions
from realtalk_core.schema import LANDMARK_GROUPS


def test_openings_are_cut_and_masks_respect_them(task_path, canonical_landmarks):
    from realtalk_core.assets.canonical_mesh import load_canonical_mesh

    triangles = load_canonical_mesh(task_path).triangles
    openings = [LANDMARK_GROUPS[name] for name in ("lips_inner", "eye_right", "eye_left")]
    cut = cut_openings(triangles, openings)
    assert len(triangles) - len(cut) == 18 + 14 + 14          # the mouth and eye fills
    regions = FaceRegions.from_neutral(canonical_landmarks, triangles)
    upper_mid, lower_mid = 13, 14                               # inner lips at the midline, 5 mm apart
    assert regions.jaw[lower_mid] == 1.0 and regions.jaw[upper_mid] == 0.0
    assert regions.upper_lip[upper_mid] == 1.0 and regions.upper_lip[lower_mid] == 0.0
    for mask in (regions.jaw, regions.upper_lip, regions.lower_lip):
        assert mask.min() >= 0.0 and mask.max() <= 1.0
    corner = regions.mouth_corner_left
    assert 0.3 < regions.jaw[corner] < 0.7                      # the corners share the jaw's move


def test_harmonic_extension_is_smooth_and_bounded(canonical_landmarks, task_path):
    from realtalk_core.assets.canonical_mesh import load_canonical_mesh

    mesh = load_canonical_mesh(task_path)
    graph = MeshGraph.from_mesh(canonical_landmarks[:468].astype(np.float64), mesh.triangles)
    field = graph.harmonic(np.array([1, 10]), np.array([[1.0], [0.0]]))[:, 0]
    assert field[1] == 1.0 and field[10] == 0.0
    assert 0.0 <= field.min() and field.max() <= 1.0
    free = np.setdiff1d(np.arange(468), [1, 10])
    scale = np.diag(graph.laplacian).max()
    assert np.abs(graph.laplacian[free] @ field).max() < 1e-6 * scale   # harmonic at every free vertex


def test_split_and_close_an_opening(canonical_landmarks):
    eye = split_opening(LANDMARK_GROUPS["eye_left"], canonical_landmarks)
    assert set(eye.corners) == {362, 263}                       # inner and outer corners of the left eye
    assert canonical_landmarks[eye.upper, 1].mean() > canonical_landmarks[eye.lower, 1].mean()
    assert np.all(np.diff(canonical_landmarks[eye.upper, 0]) > 0)
    up, down = closing_deltas(canonical_landmarks[eye.upper], canonical_landmarks[eye.lower], 0.5)
    assert np.allclose(up[[0, -1]], 0.0) and (up[1:-1, 1] < 0).all() and (down[1:-1, 1] > 0).all()
