"""The left/right mirror map of the 478 landmarks, on the real canonical face."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.rig.symmetry import mirror_error, mirror_map, mirror_points, symmetrize
from realtalk_core.schema import LANDMARK_GROUPS, LANDMARKS_68


def test_mirror_map_is_an_involution_with_sub_mm_error(canonical_landmarks):
    partner = mirror_map(canonical_landmarks)
    assert np.array_equal(partner[partner], np.arange(478))
    assert mirror_error(canonical_landmarks, partner).max() < 1e-3
    # Known pairs: eye corners, mouth corners, the two iris centres; the nose tip is on the midline.
    assert partner[33] == 263 and partner[61] == 291 and partner[468] == 473 and partner[1] == 1
    right, left = LANDMARK_GROUPS["eye_right"], LANDMARK_GROUPS["eye_left"]
    assert sorted(partner[list(right)].tolist()) == sorted(left)
    # The iris rims mirror +x <-> -x: 469 (+x of the right iris) <-> 476 (-x of the left iris).
    assert partner[469] == 476 and partner[470] == 475


def test_mirroring_fields(canonical_landmarks):
    partner = mirror_map(canonical_landmarks)
    rng = np.random.default_rng(0)
    field = rng.normal(size=(2, 478, 3))
    assert np.allclose(mirror_points(mirror_points(field, partner), partner), field)
    sym = symmetrize(field, partner)
    assert np.allclose(mirror_points(sym, partner), sym)
    # A displacement of the left mouth corner, mirrored, moves the right corner the mirrored way.
    push = np.zeros((478, 3))
    push[291] = (0.01, 0.002, 0.0)
    assert np.allclose(mirror_points(push, partner)[61], (-0.01, 0.002, 0.0))
    assert np.array_equal(partner[list(LANDMARKS_68)][[0, 16]], np.array(LANDMARKS_68)[[16, 0]])


def test_asymmetric_face_is_refused(canonical_landmarks):
    warped = canonical_landmarks.copy()
    warped[:, 0] += 0.02 * (warped[:, 1] > 0)  # shear the upper half sideways
    with pytest.raises(ValueError, match="not an involution"):
        mirror_map(warped)
