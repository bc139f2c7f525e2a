"""Named channels: the fixed name lists, groups, and the 68-point subset checked on the real mesh."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.schema import channels as ch


def test_emotion_names_fixed_order():
    assert ch.EMOTION_NAMES == ("neutral", "angry", "disgust", "contempt", "fear", "happy", "sad", "surprise")


def test_arkit_names_are_the_52_unique_names():
    names = ch.ARKIT_BLENDSHAPE_NAMES
    assert len(names) == 52 and len(set(names)) == 52
    # Live Link Face CSV order: starts with the left eye, ends with the tongue.
    assert names[0] == "eyeBlinkLeft" and names[17] == "jawOpen" and names[-1] == "tongueOut"
    # Mirrored pairs exist for every Left/Right name.
    for name in names:
        if name.endswith("Left"):
            assert name[:-4] + "Right" in names


def test_blendshape_groups_partition_all_names():
    grouped = [n for group in ch.BLENDSHAPE_GROUPS.values() for n in group]
    assert sorted(grouped) == sorted(ch.ARKIT_BLENDSHAPE_NAMES)
    assert "jawOpen" in ch.BLENDSHAPE_GROUPS["jaw"] and "mouthClose" in ch.BLENDSHAPE_GROUPS["mouth"]


def test_index_helpers_resolve_names_and_groups():
    assert ch.ARKIT_BLENDSHAPE_NAMES[ch.blendshape_index("jawOpen")[0]] == "jawOpen"
    eyes = ch.blendshape_index("eyes")
    assert [ch.ARKIT_BLENDSHAPE_NAMES[i] for i in eyes] == list(ch.BLENDSHAPE_GROUPS["eyes"])
    assert ch.emotion_index(["happy", "sad"]).tolist() == [5, 6]
    with pytest.raises(KeyError, match="jawOpn"):
        ch.blendshape_index("jawOpn")


def test_landmark_groups_are_valid_indices():
    for name, ids in ch.LANDMARK_GROUPS.items():
        assert all(0 <= i < ch.NUM_LANDMARKS for i in ids), name
        assert len(set(ids)) == len(ids), name


def _mirror_partner(points: np.ndarray) -> np.ndarray:
    """For each mesh vertex, the index of the vertex nearest its mirror image (x -> -x)."""
    mirrored = points * np.array([-1.0, 1.0, 1.0])
    dist = np.linalg.norm(points[None, :, :] - mirrored[:, None, :], axis=2)
    return dist.argmin(axis=1)


def test_68_point_subset_is_symmetric_and_ordered(canonical_landmarks):
    subset = np.array(ch.LANDMARKS_68)
    assert subset.shape == (68,) and len(set(subset.tolist())) == 68
    mesh = canonical_landmarks[:468].astype(np.float64)
    partner = _mirror_partner(mesh)
    # 300-W mirror pairs (0<->16, 17<->26, 36<->45, 48<->54, ...) must be mirror vertices.
    pairs = [(i, 16 - i) for i in range(8)] + [(17 + i, 26 - i) for i in range(5)] + \
            [(31, 35), (32, 34), (36, 45), (37, 44), (38, 43), (39, 42), (40, 47), (41, 46),
             (48, 54), (49, 53), (50, 52), (55, 59), (56, 58), (60, 64), (61, 63), (65, 67)]
    for a, b in pairs:
        assert partner[subset[a]] == subset[b], (a, b)
    # Midline points sit on x = 0.
    for k in (8, 27, 28, 29, 30, 33, 51, 57, 62, 66):
        assert abs(mesh[subset[k], 0]) < 1e-4, k
    pts = mesh[subset]
    # Image-left first: the jaw runs from the subject's right (x < 0) to the left (x > 0).
    assert pts[0, 0] < 0 < pts[16, 0]
    assert pts[8, 1] == pts[:17, 1].min()          # the chin is the jaw's lowest point
    assert np.all(np.diff(pts[27:31, 1]) < 0)      # the nose bridge runs down to the tip
    assert pts[36, 0] < pts[39, 0] < 0 < pts[42, 0] < pts[45, 0]  # eye corners, outer to inner
    assert pts[51, 1] > pts[62, 1] > pts[66, 1] > pts[57, 1]      # upper lip above lower lip


def test_named_eye_sides_match_the_mesh(canonical_landmarks):
    right = canonical_landmarks[list(ch.LANDMARK_GROUPS["eye_right"])]
    left = canonical_landmarks[list(ch.LANDMARK_GROUPS["eye_left"])]
    # +x is the subject's left, so the subject's right eye has negative x.
    assert right[:, 0].max() < 0 < left[:, 0].min()
    iris = canonical_landmarks[list(ch.LANDMARK_GROUPS["iris_right"])]
    assert np.allclose(iris[0, :2], right[:, :2].mean(axis=0), atol=2e-3)
