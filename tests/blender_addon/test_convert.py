"""The add-on's pure conversions: head pose <-> keys, the hand-edit rule, emotion curves and mixes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from realtalk_core.schema import EMOTION_NAMES
from realtalk_core.schema.emotion_curves import EmotionCurves


def test_head_pose_round_trips_through_location_and_quaternion(addon):
    convert = addon.convert
    rng = np.random.default_rng(0)
    poses = np.tile(np.eye(4), (200, 1, 1))
    poses[:, :3, :3] = Rotation.random(200, random_state=1).as_matrix()
    poses[:, :3, 3] = rng.normal(size=(200, 3))
    location, quat = convert.matrix_to_loc_quat(poses)
    np.testing.assert_allclose(convert.loc_quat_to_matrix(location, quat), poses, atol=1e-9)
    assert np.all(np.einsum("ij,ij->i", quat[1:], quat[:-1]) >= 0)     # neighbours never flip sign


def test_hand_edits_ride_on_the_new_bake(addon):
    old = np.array([[0.2, 0.5], [0.3, 0.5], [0.4, 0.5]])
    current = old.copy()
    current[1, 0] = 0.9                                  # one edited key
    new = np.array([[0.1, 0.7], [0.2, 0.7], [0.3, 0.7], [0.4, 0.7]])   # a longer new bake
    out = addon.convert.carry_edits(current, old, new)
    np.testing.assert_allclose(out, [[0.1, 0.7], [0.8, 0.7], [0.3, 0.7], [0.4, 0.7]])
    assert addon.convert.has_edits(current, old) and not addon.convert.has_edits(old, old)
    assert addon.convert.carry_edits(current + 0.5, old, new).max() == 1.0         # clipped


def test_curves_document_is_read_by_the_cli_format(addon):
    frames = np.arange(0, 50, dtype=float)
    samples = {name: (frames, np.zeros(50)) for name in EMOTION_NAMES}
    samples["happy"] = (frames, np.linspace(0, 1.2, 50))                    # over the top: clipped
    samples["neutral"] = (frames, np.linspace(1, 0, 50))
    document = addon.convert.emotion_curves_json(samples, (frames, np.full(50, 1.5)))
    curves = EmotionCurves.from_json(document)
    mix, intensity = curves.sample(25.0, 50)
    happy = EMOTION_NAMES.index("happy")
    assert mix[0, happy] == 0 and mix[-1, happy] == pytest.approx(1.0) and intensity[10] == pytest.approx(1.5)
    np.testing.assert_allclose(mix, addon.convert.emotion_mix({n: v for n, (_, v) in samples.items()}, 50), atol=1e-6)


def test_mix_of_all_zero_weights_is_neutral_and_rows_sum_to_one(addon):
    mix = addon.convert.emotion_mix({"sad": np.array([0.0, 0.5]), "angry": np.array([0.0, 0.5])}, 2)
    assert mix[0, EMOTION_NAMES.index("neutral")] == 1.0
    np.testing.assert_allclose(mix.sum(axis=1), 1.0)
    keys = addon.convert.preset_keys("surprise", 0.7)
    assert keys["surprise"] == 0.7 and keys["neutral"] == pytest.approx(0.3) and sum(keys.values()) == pytest.approx(1)
    assert addon.convert.preset_keys("neutral", 0.4)["neutral"] == 1.0
