"""The 52 rig shapes on the canonical face: names, symmetry, held landmarks, and what each key shape does."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.rig import FaceRig, mirror_points
from realtalk_core.rig.contours import along_x, split_opening
from realtalk_core.rig.face_rig import assemble, mirror_name
from realtalk_core.rig.pose import rigid_landmarks
from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, LANDMARK_GROUPS

MM = 1e-3


def posed(rig: FaceRig, **weights: float) -> np.ndarray:
    return rig.evaluate(rig.weights(weights))


def test_all_52_channels_move_the_face_and_are_found_by_name(face_rig):
    assert face_rig.deltas.shape == (52, 478, 3) and face_rig.names == ARKIT_BLENDSHAPE_NAMES
    peaks = face_rig.peak_displacement()
    assert min(peaks.values()) > 2 * MM and max(peaks.values()) < 35 * MM
    assert np.array_equal(face_rig.delta("jawOpen"), face_rig.deltas[ARKIT_BLENDSHAPE_NAMES.index("jawOpen")])
    with pytest.raises(KeyError, match="jawOpn"):
        face_rig.delta("jawOpn")
    # No two channels are the same shape.
    flat = face_rig.deltas.reshape(52, -1)
    unit = flat / np.linalg.norm(flat, axis=1, keepdims=True)
    cosine = unit @ unit.T - np.eye(52)
    assert cosine.max() < 0.99


def test_right_shapes_mirror_left_ones_and_bilateral_ones_are_symmetric(face_rig):
    for name in face_rig.names:
        twin = mirror_name(name)
        mirrored = mirror_points(face_rig.delta(name), face_rig.mirror)
        expected = face_rig.delta(twin) if twin else face_rig.delta(name)
        assert np.allclose(mirrored, expected, atol=1e-12), name
    # Left shapes act on the subject's left (+x, image right): the left blink moves no x < 0 point.
    blink = np.linalg.norm(face_rig.delta("eyeBlinkLeft"), axis=1)
    assert blink[face_rig.neutral[:, 0] < 0].max() == 0 and blink.max() > 5 * MM
    smile = face_rig.delta("mouthSmileLeft")
    assert smile[291, 1] > 5 * MM and np.linalg.norm(smile[61]) < 0.2 * MM


def test_rigid_landmarks_never_move(face_rig):
    assert np.abs(face_rig.deltas[:, rigid_landmarks()]).max() == 0.0
    assert np.abs(face_rig.hinge.mask[rigid_landmarks()]).max() == 0.0


def test_jaw_open_opens_the_inner_lips_two_to_three_cm(face_rig):
    gap = lambda face: face[13, 1] - face[14, 1]            # noqa: E731  inner upper minus inner lower lip
    for face in (posed(face_rig, jawOpen=1.0), face_rig.pose(face_rig.weights({"jawOpen": 1.0}))):
        assert 0.02 < gap(face) - gap(face_rig.neutral) < 0.03
        assert np.allclose(face[[0, 13]], face_rig.neutral[[0, 13]])   # the upper lip's middle stays
    # The chin drops and moves back; the forehead stays.
    chin = face_rig.delta("jawOpen")[152]
    assert chin[1] < -0.02 and chin[2] < 0


def test_pose_applies_jaw_open_as_a_true_rotation(face_rig):
    hinge = face_rig.hinge
    full = hinge.mask == 1.0
    for weight in (0.3, 1.0):
        exact = face_rig.pose(face_rig.weights({"jawOpen": weight}))
        # Points fully on the mandible keep their distance to the hinge axis ...
        before = np.linalg.norm(np.cross(face_rig.neutral[full] - hinge.point, hinge.axis), axis=1)
        after = np.linalg.norm(np.cross(exact[full] - hinge.point, hinge.axis), axis=1)
        assert np.abs(after - before).max() < 1e-12
    # ... and the linear rig is its first-order approximation: close for small openings.
    small = face_rig.weights({"jawOpen": 0.05, "mouthSmileLeft": 0.5})
    assert np.abs(face_rig.pose(small) - face_rig.evaluate(small)).max() < 0.1 * MM
    big = face_rig.weights({"jawOpen": 1.0})
    assert np.abs(face_rig.pose(big) - face_rig.evaluate(big)).max() > 1 * MM


def test_blink_closes_the_upper_lid_exactly_onto_the_lower_lid(face_rig):
    for side, name in (("eye_left", "eyeBlinkLeft"), ("eye_right", "eyeBlinkRight")):
        eye = split_opening(LANDMARK_GROUPS[side], face_rig.neutral)
        closed = posed(face_rig, **{name: 1.0})
        gap = closed[eye.upper] - along_x(closed[eye.lower], closed[eye.upper, 0])
        assert np.abs(gap).max() < 0.1 * MM, side
        open_gap = face_rig.neutral[eye.upper] - along_x(face_rig.neutral[eye.lower], face_rig.neutral[eye.upper, 0])
        assert np.abs(open_gap[:, 1]).max() > 5 * MM


def test_mouth_close_brings_the_lips_together_while_the_jaw_is_open(face_rig):
    inner = split_opening(LANDMARK_GROUPS["lips_inner"], face_rig.neutral)
    face = posed(face_rig, jawOpen=1.0, mouthClose=1.0)
    gap = face[inner.upper] - along_x(face[inner.lower], face[inner.upper, 0])
    assert np.abs(gap).max() < 0.5 * MM
    assert face[152, 1] < face_rig.neutral[152, 1] - 0.02       # the jaw is still open


def test_key_shapes_move_the_right_way(face_rig):
    n = face_rig.neutral
    brows = posed(face_rig, browInnerUp=1.0)
    assert 8 * MM < brows[107, 1] - n[107, 1] < 12 * MM                # inner brow end rises ~1 cm
    assert abs(brows[70, 1] - n[70, 1]) < 2 * MM                       # outer end barely
    pucker, funnel = posed(face_rig, mouthPucker=1.0), posed(face_rig, mouthFunnel=1.0)
    width = lambda face: face[291, 0] - face[61, 0]                    # noqa: E731
    inner_gap = lambda face: face[13, 1] - face[14, 1]                 # noqa: E731
    assert width(pucker) < width(n) - 10 * MM and pucker[0, 2] > n[0, 2] + 5 * MM
    assert width(funnel) < width(n) - 5 * MM and inner_gap(funnel) > inner_gap(n) + 6 * MM
    assert inner_gap(pucker) < inner_gap(n)
    puff = face_rig.delta("cheekPuff")
    cheek = np.argmax(np.linalg.norm(puff, axis=1))
    assert np.sign(puff[cheek, 0]) == np.sign(n[cheek, 0]) and np.linalg.norm(puff[cheek]) > 6 * MM
    look = {name: face_rig.delta(name)[473] for name in
            ("eyeLookInLeft", "eyeLookOutLeft", "eyeLookUpLeft", "eyeLookDownLeft")}
    assert look["eyeLookInLeft"][0] < -3 * MM and look["eyeLookOutLeft"][0] > 3 * MM   # left eye: in = -x
    assert look["eyeLookUpLeft"][1] > 3 * MM and look["eyeLookDownLeft"][1] < -3 * MM
    tongue = face_rig.delta("tongueOut")
    assert tongue[17, 1] < 0 and tongue[17, 2] > 0 and np.linalg.norm(tongue[13]) < 0.1 * MM


def test_assemble_refuses_missing_or_right_side_shapes(face_rig):
    built = {name: face_rig.delta(name) for name in face_rig.names if not name.endswith("Right")}
    assert np.allclose(assemble(built, face_rig.mirror), face_rig.deltas)
    with pytest.raises(ValueError, match="no shape was built for cheekPuff"):
        assemble({k: v for k, v in built.items() if k != "cheekPuff"}, face_rig.mirror)
    with pytest.raises(ValueError, match="mirrored from eyeBlinkLeft"):
        assemble({**built, "eyeBlinkRight": built["eyeBlinkLeft"]}, face_rig.mirror)
