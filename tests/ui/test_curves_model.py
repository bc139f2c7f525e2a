"""EmotionCurvesModel without any widget: loading from Takes, editing, undo, dirty state, saving."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from realtalk_core.schema import EMOTION_NAMES, load_take, save_take
from realtalk_core.schema.emotion_curves import EmotionCurves, EmotionCurvesError, load_emotion_curves
from realtalk_ui.curves_model import CHANNELS, MIN_GAP, EmotionCurvesModel, value_range

FPS = 25.0
GENERATED = EmotionCurves({"happy": ((0.0, 0.0), (1.0, 0.8)), "sad": ((1.2, 0.0), (1.8, 0.5))},
                          intensity=((0.0, 1.0), (1.5, 1.6)), interpolation="smooth")


@pytest.fixture
def generated_take(make_take) -> Path:
    """50 frames whose emotion track is GENERATED baked, recorded in provenance as generate does."""
    folder = make_take(name="generated", frames=50)
    take = load_take(folder)
    take.tracks.emotion[:] = GENERATED.sample(FPS, 50)[0]
    take.provenance["emotion_curves"] = GENERATED.to_json()
    save_take(take, folder)
    return folder


@pytest.fixture
def model(generated_take) -> EmotionCurvesModel:
    model = EmotionCurvesModel()
    assert model.load_from_take(load_take(generated_take)) == "provenance"
    return model


def test_generated_take_loads_its_provenance_curves(model, generated_take):
    take = load_take(generated_take)
    assert model.source == "provenance" and model.interpolation == "smooth" and not model.dirty
    assert model.keys("happy") == ((0.0, 0.0), (1.0, 0.8))
    assert model.keys("sad") == ((1.2, 0.0), (1.8, 0.5))
    assert model.keys("neutral") == () and model.keys("angry") == ()
    assert model.keys("intensity") == ((0.0, 1.0), (1.5, 1.6))
    mix, intensity = model.sample(FPS, take.frame_count, take.frame_start)
    np.testing.assert_array_equal(mix, take.tracks.emotion)
    np.testing.assert_array_equal(intensity, GENERATED.sample(FPS, 50)[1])


def test_provenance_counted_in_frames_is_loaded_in_seconds(generated_take):
    take = load_take(generated_take)
    in_frames = EmotionCurves({"happy": ((0.0, 0.0), (25.0, 0.8)), "sad": ((30.0, 0.0), (45.0, 0.5))},
                              intensity=((0.0, 1.0), (37.5, 1.6)), units="frames")
    take.provenance["emotion_curves"] = in_frames.to_json()
    model = EmotionCurvesModel()
    assert model.load_from_take(take) == "provenance"
    assert model.keys("happy") == ((0.0, 0.0), (1.0, 0.8))
    assert model.keys("intensity") == ((0.0, 1.0), (1.5, 1.6))
    assert model.curves().units == "seconds"


@pytest.mark.parametrize("recorded", [{"format": "something else"}, "not a dict", None])
def test_missing_or_invalid_provenance_falls_back_to_the_track(generated_take, recorded):
    take = load_take(generated_take)
    take.provenance["emotion_curves"] = recorded
    model = EmotionCurvesModel()
    assert model.load_from_take(take) == "track" and model.source == "track"
    assert model.interpolation == "linear" and model.keys("intensity") == ((0.0, 1.0),)
    np.testing.assert_allclose(model.sample(FPS, 50)[0], take.tracks.emotion, atol=1e-2)


def test_provenance_that_no_longer_matches_an_edited_track_is_ignored(generated_take):
    take = load_take(generated_take)
    take.tracks.emotion[:] = 0.0
    take.tracks.emotion[:, EMOTION_NAMES.index("fear")] = 1.0
    model = EmotionCurvesModel()
    assert model.load_from_take(take) == "track"
    assert model.keys("fear") and not model.keys("happy")


def test_plain_take_gets_curves_from_its_emotion_track(moving_take):
    take = load_take(moving_take)                  # frames 20..29 at 25 fps: neutral turns happy linearly
    model = EmotionCurvesModel()
    assert model.load_from_take(take) == "track"
    times, values = np.array(model.keys("happy")).T
    np.testing.assert_allclose(times, [20 / FPS, 29 / FPS])
    np.testing.assert_allclose(values, [0.0, 0.8], atol=1e-6)
    assert set(name for name in EMOTION_NAMES if model.keys(name)) == {"neutral", "happy"}
    np.testing.assert_allclose(model.sample(FPS, 10, 20)[0], take.tracks.emotion, atol=1e-3)


def test_add_key_keeps_time_order_clamps_values_and_replaces_at_the_same_time(model):
    assert model.add_key("happy", 0.5, 1.7) == 1
    assert model.add_key("happy", -0.3, -2.0) == 0
    assert model.add_key("happy", 3.0, 0.25) == 4
    assert model.keys("happy") == ((-0.3, 0.0), (0.0, 0.0), (0.5, 1.0), (1.0, 0.8), (3.0, 0.25))
    assert model.add_key("happy", 1.0 + MIN_GAP / 2, 0.1) == 3          # the key at 1.0 gets the value
    assert model.keys("happy")[3] == (1.0, 0.1) and len(model.keys("happy")) == 5
    assert model.add_key("intensity", 1.0, 5.0) == 1 and model.keys("intensity")[1] == (1.0, 2.0)
    assert model.add_key("angry", 0.7, 0.4) == 0 and model.curves().curves["angry"] == ((0.7, 0.4),)
    with pytest.raises(ValueError):
        model.add_key("joy", 0.0, 0.5)
    with pytest.raises(ValueError):
        model.add_key("happy", float("nan"), 0.5)


def test_move_key_clamps_into_range_and_between_its_neighbours(model):
    model.add_key("happy", 2.0, 0.3)                                      # keys at 0, 1, 2
    assert model.move_key("happy", 1, 5.0, 1.4) == (2.0 - MIN_GAP, 1.0)
    assert model.move_key("happy", 1, -1.0, -0.5) == (0.0 + MIN_GAP, 0.0)
    assert model.move_key("happy", 0, -4.0, 0.6) == (-4.0, 0.6)          # the first key is free to the left
    assert model.move_key("happy", 2, 9.0, 0.2) == (9.0, 0.2)            # the last key is free to the right
    times = [t for t, _ in model.keys("happy")]
    assert times == sorted(times) and len(set(times)) == 3
    assert model.move_key("intensity", 1, 1.5, 3.0) == (1.5, 2.0)
    with pytest.raises(IndexError):
        model.move_key("happy", 3, 0.0, 0.0)


def test_delete_key_removes_curves_but_never_the_last_emotion(model):
    assert model.delete_key("sad", 0) and model.delete_key("sad", 0)
    assert "sad" not in model.curves().curves
    assert model.delete_key("happy", 1) and not model.delete_key("happy", 0)
    assert model.keys("happy") == ((0.0, 0.0),)
    assert model.delete_key("intensity", 0) and model.delete_key("intensity", 0)
    assert model.curves().intensity == ((0.0, 1.0),)                   # intensity without keys: the default
    with pytest.raises(IndexError):
        model.delete_key("intensity", 0)


def test_dirty_flag_signals_and_undo(model, qtbot):
    changed, dirty = [], []
    model.curvesChanged.connect(lambda: changed.append(True))
    model.dirtyChanged.connect(dirty.append)
    model.add_key("fear", 0.4, 0.6)
    model.move_key("fear", 0, 0.5, 0.7)
    assert len(changed) == 2 and dirty == [True] and model.dirty and model.can_undo
    assert model.undo() and model.keys("fear") == ((0.4, 0.6),) and model.dirty
    assert model.undo() and model.keys("fear") == () and not model.dirty
    assert dirty == [True, False] and len(changed) == 4
    assert not model.undo() and len(changed) == 4
    model.set_interpolation("linear")
    model.mark_saved()
    assert dirty == [True, False, True, False] and not model.dirty
    model.undo()                                                          # back to smooth: unsaved again
    assert model.interpolation == "smooth" and model.dirty


def test_a_drag_is_one_undo_step(model):
    model.move_key("happy", 1, 1.1, 0.7)
    for step in range(1, 5):
        model.move_key("happy", 1, 1.1 + step / 10, 0.7 - step / 10, merge=True)
    model.move_key("happy", 1, 0.9, 0.9)                                 # a new drag: a new step
    assert model.keys("happy")[1] == (0.9, 0.9)
    assert model.undo() and model.keys("happy")[1] == pytest.approx((1.5, 0.3))
    assert model.undo() and model.keys("happy")[1] == (1.0, 0.8) and not model.dirty


def test_set_interpolation_changes_the_easing(model):
    smooth = model.sample(FPS, 50)[0]
    model.set_interpolation("linear")
    linear = model.sample(FPS, 50)[0]
    happy = EMOTION_NAMES.index("happy")
    assert model.curves().interpolation == "linear" and model.dirty
    assert linear[5, happy] == pytest.approx(0.16, abs=1e-6) and smooth[5, happy] < 0.1
    with pytest.raises(ValueError):
        model.set_interpolation("cubic")


def test_save_writes_curves_that_load_back_identically(model, tmp_path):
    tmp_path = tmp_path / "saved"
    tmp_path.mkdir()
    model.add_key("surprise", 0.6, 0.45)
    model.set_interpolation("linear")
    path = model.save(tmp_path / "curves.json")
    assert path == tmp_path / "curves.json" and not model.dirty
    assert load_emotion_curves(path) == model.curves()
    assert json.loads(path.read_text())["curves"]["surprise"] == [[0.6, 0.45]]
    assert [p.name for p in tmp_path.iterdir()] == ["curves.json"]      # atomic: no temporary left behind
    reloaded = EmotionCurvesModel()
    reloaded.load_curves(load_emotion_curves(path), source="file")
    assert all(reloaded.keys(name) == model.keys(name) for name in CHANNELS)
    model.add_key("surprise", 0.9, 0.1)
    with pytest.raises(EmotionCurvesError):
        model.save(tmp_path / "curves.csv")
    assert model.dirty


def test_sample_is_emotion_curves_sample(model):
    model.add_key("happy", 1.6, 1.0)
    model.add_key("angry", 1.4, 0.9)                                     # weights over 1: normalised
    expected = EmotionCurves({"happy": ((0.0, 0.0), (1.0, 0.8), (1.6, 1.0)), "sad": ((1.2, 0.0), (1.8, 0.5)),
                              "angry": ((1.4, 0.9),)}, intensity=((0.0, 1.0), (1.5, 1.6)))
    for fps, frames, start in ((FPS, 50, 0), (30.0, 40, 5), (12.5, 7, -3)):
        for got, want in zip(model.sample(fps, frames, start), expected.sample(fps, frames, start)):
            np.testing.assert_array_equal(got, want)
    mix, _ = model.sample(FPS, 50)
    np.testing.assert_allclose(mix.sum(axis=1), 1.0, atol=1e-6)


def test_sample_keys_is_the_channel_before_normalising(model):
    model.add_key("angry", 0.0, 1.0)
    own = model.sample_keys("happy", FPS, 50)
    mixed = model.sample(FPS, 50)[0][:, EMOTION_NAMES.index("happy")]
    assert own[25] == pytest.approx(0.8) and mixed[25] == pytest.approx(0.8 / 1.8, abs=1e-6)
    assert model.sample_keys("intensity", FPS, 50)[-1] == pytest.approx(1.6)
    assert model.sample_keys("contempt", FPS, 50) is None


def test_value_ranges():
    assert value_range("happy") == (0.0, 1.0) and value_range("intensity") == (0.0, 2.0)
    assert CHANNELS[:8] == EMOTION_NAMES and CHANNELS[8] == "intensity"
    with pytest.raises(ValueError):
        value_range("joy")
