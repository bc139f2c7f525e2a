import numpy as np

from realtalk_core.generate.metrics import (OPEN_VOWELS_WITH_MID, bilabial_closure, identity_drift, jaw_ratio, jitter,
                                            landmark_distance, mouth_opening, pearson)
from realtalk_core.phonetics.phones import Phone
from realtalk_core.schema.channels import interocular


def test_mouth_opening_and_lmd(canonical_landmarks):
    iod = interocular(canonical_landmarks)
    assert 0.05 < iod < 0.12
    faces = np.repeat(canonical_landmarks[None], 3, axis=0).copy()
    faces[1, 14, 1] -= 0.1 * iod
    opening = mouth_opening(faces, iod)
    assert opening[1] - opening[0] > 0.09
    assert landmark_distance(faces, faces, iod, mouth_only=True) == 0
    assert identity_drift(faces, canonical_landmarks, iod) == 0
    assert jitter(faces, iod) > 0


def test_closure_is_judged_at_the_phone_middle_with_one_frame_reach():
    phones = [Phone("a", 0.0, 0.2), Phone("p", 0.2, 0.24), Phone("a", 0.24, 0.6), Phone("m", 0.6, 0.7)]
    gap = np.full(20, 0.01)
    gap[5] = 0.0                        # one frame before /p/'s middle (frame 6)
    score = bilabial_closure(gap, phones, 25.0, iod=0.09)
    assert (score.closed, score.total) == (1, 2)
    assert bilabial_closure(gap, phones, 25.0, iod=0.09, reach=0).closed == 0


def test_jaw_ratio_and_pearson():
    phones = [Phone("a", 0.0, 0.2), Phone("p", 0.2, 0.28)]
    jaw = np.array([0.5] * 5 + [0.1] * 3)
    assert abs(jaw_ratio(jaw, phones, 25.0) - 5.0) < 1e-9
    strut = [Phone("ʌ", 0.0, 0.2), Phone("p", 0.2, 0.28)]        # /ʌ/ (or a schwa labelled AH) is not open
    assert np.isnan(jaw_ratio(jaw, strut, 25.0))
    assert abs(jaw_ratio(jaw, strut, 25.0, OPEN_VOWELS_WITH_MID) - 5.0) < 1e-9
    assert np.isnan(pearson(np.ones(4), np.arange(4)))
    assert pearson(np.arange(5), np.arange(5) * 2) > 0.999
