"""Artist emotion curves: presets, JSON and CSV files, sampling, validation, re-bake from a Take."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from realtalk_core.schema.channels import EMOTION_NAMES
from realtalk_core.schema.emotion_curves import (FORMAT_TAG, EmotionCurves, load_emotion_curves,
                                                 save_emotion_curves)
from realtalk_core.schema.errors import RealtalkError

HAPPY, SAD, NEUTRAL = (EMOTION_NAMES.index(n) for n in ("happy", "sad", "neutral"))


def _doc(**overrides) -> dict:
    doc = {"format": FORMAT_TAG, "version": 1, "units": "seconds", "interpolation": "smooth",
           "curves": {"happy": [[0.0, 0.0], [2.0, 0.8]], "sad": [[1.0, 0.5]]},
           "intensity": [[0.0, 1.0], [2.0, 1.5]]}
    doc.update(overrides)
    return doc


def _write_json(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc))
    return path


def _check_rows(weights: np.ndarray) -> None:
    assert weights.dtype == np.float32 and weights.shape[1] == len(EMOTION_NAMES)
    assert np.isfinite(weights).all() and (weights >= 0).all()
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-5)


# ----------------------------------------------------------------------------- presets
def test_preset_with_weight():
    weights, intensity = EmotionCurves.from_preset("happy:0.8").sample(25.0, 10)
    expected = np.zeros(len(EMOTION_NAMES), np.float32)
    expected[HAPPY], expected[NEUTRAL] = 0.8, 0.2
    np.testing.assert_allclose(weights, np.tile(expected, (10, 1)), atol=1e-7)
    np.testing.assert_array_equal(intensity, np.ones(10, np.float32))


@pytest.mark.parametrize("spec, index", [("happy", HAPPY), ("neutral", NEUTRAL), (" Sad : 1 ", SAD)])
def test_preset_alone_is_full_weight(spec, index):
    weights, _ = EmotionCurves.from_preset(spec).sample(30.0, 3)
    np.testing.assert_array_equal(weights, np.tile(np.eye(len(EMOTION_NAMES), dtype=np.float32)[index], (3, 1)))


@pytest.mark.parametrize("spec", ["happy:abc", "happy:1.5", "happy:-0.1", "joy", "happy:", "happy:nan", ""])
def test_bad_presets(spec):
    with pytest.raises(RealtalkError, match="--emotion") as err:
        EmotionCurves.from_preset(spec)
    assert "\n" not in str(err.value) and repr(spec) in str(err.value)


# ---------------------------------------------------------------------- files, sampling
def test_json_and_csv_sample_the_same(tmp_path):
    from_json = load_emotion_curves(_write_json(tmp_path / "c.json", _doc()))
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("time,happy,sad,intensity\n0,0,,1\n1,,0.5,\n2,0.8,,1.5\n")
    from_csv = load_emotion_curves(csv_path)
    assert from_csv == from_json
    for fps in (25.0, 30.0):
        a, b = from_json.sample(fps, 90, frame_start=3), from_csv.sample(fps, 90, frame_start=3)
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
        _check_rows(a[0])


def test_csv_tolerates_bom_crlf_blank_lines_and_case(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("\ufeffFrame, Happy \r\n\r\n0,0.5\r\n10,1\r\n".encode("utf-8"))
    curves = load_emotion_curves(path)
    assert curves.units == "frames" and curves.curves["happy"] == ((0.0, 0.5), (10.0, 1.0))


def test_seconds_and_frames_at_25_and_30_fps():
    seconds = EmotionCurves({"happy": ((0.0, 0.0), (1.0, 1.0))}, interpolation="linear")
    frames = EmotionCurves({"happy": ((0.0, 0.0), (25.0, 1.0))}, interpolation="linear", units="frames")
    for fps in (25.0, 30.0):
        happy = seconds.sample(fps, int(fps) + 5)[0][:, HAPPY]
        np.testing.assert_allclose(happy[:int(fps) + 1], np.arange(int(fps) + 1) / fps, atol=1e-6)
    at25 = frames.sample(25.0, 40)[0][:, HAPPY]
    at30 = frames.sample(30.0, 40)[0][:, HAPPY]
    np.testing.assert_array_equal(at25, at30)               # frame keys do not move with the rate
    np.testing.assert_allclose(at25[:26], np.arange(26) / 25, atol=1e-6)
    assert seconds.sample(30.0, 1, frame_start=15)[0][0, HAPPY] == pytest.approx(0.5)
    assert frames.sample(30.0, 1, frame_start=15)[0][0, HAPPY] == pytest.approx(0.6)


@pytest.mark.parametrize("mode", ["smooth", "linear"])
def test_monotone_between_two_keys_and_held_outside(mode):
    curves = EmotionCurves({"sad": ((1.0, 0.2), (3.0, 0.9))}, interpolation=mode)
    weights, _ = curves.sample(25.0, 125)
    sad = weights[:, SAD].astype(np.float64)
    inside = sad[25:76]
    assert (np.diff(inside) >= -1e-7).all() and inside[0] == pytest.approx(0.2) and inside[-1] == pytest.approx(0.9)
    np.testing.assert_allclose(sad[:26], 0.2, atol=1e-7)
    np.testing.assert_allclose(sad[75:], 0.9, atol=1e-7)
    middle = sad[50]
    assert middle == pytest.approx(0.55, abs=1e-6)          # both easings pass the midpoint at half way
    if mode == "smooth":
        assert sad[26] - sad[25] < (sad[51] - sad[50]) / 5   # eases in


def test_mix_rules():
    # neutral from the others; overfull rows normalised; neutral's own curve wins; zero row is neutral
    both = EmotionCurves({"happy": ((0.0, 1.0),), "sad": ((0.0, 1.0),)}).sample(25.0, 1)[0][0]
    assert both[HAPPY] == both[SAD] == pytest.approx(0.5) and both[NEUTRAL] == 0
    own = EmotionCurves({"happy": ((0.0, 0.5),), "neutral": ((0.0, 1.5 - 1.0),)}).sample(25.0, 1)[0][0]
    assert own[HAPPY] == own[NEUTRAL] == pytest.approx(0.5)
    zero = EmotionCurves({"happy": ((0.0, 0.0),), "neutral": ((0.0, 0.0),)}).sample(25.0, 2)[0]
    np.testing.assert_array_equal(zero[:, NEUTRAL], 1.0)
    assert EmotionCurves({"happy": ((0.0, 0.3),)}).sample(25.0, 0)[0].shape == (0, len(EMOTION_NAMES))


def test_intensity_is_carried_apart():
    curves = EmotionCurves({"happy": ((0.0, 0.4),)}, intensity=((0.0, 0.0), (1.0, 2.0)), interpolation="linear")
    weights, intensity = curves.sample(10.0, 12)
    np.testing.assert_allclose(weights[:, HAPPY], 0.4, atol=1e-7)
    np.testing.assert_allclose(intensity, np.minimum(np.arange(12) / 10 * 2, 2.0), atol=1e-6)


def test_save_load_round_trip(tmp_path):
    original = EmotionCurves({"angry": ((0.5, 0.1), (1.25, 1.0)), "neutral": ((0.0, 0.3),)},
                             intensity=((0.0, 0.7),), interpolation="linear", units="frames")
    path = save_emotion_curves(original, tmp_path / "sub" / "out.json")
    assert load_emotion_curves(path) == original
    assert json.loads(path.read_text())["curves"]["angry"] == [[0.5, 0.1], [1.25, 1.0]]
    assert list(tmp_path.joinpath("sub").iterdir()) == [path]          # no temporary file left
    with pytest.raises(RealtalkError, match="out.csv"):
        save_emotion_curves(original, tmp_path / "out.csv")


# ------------------------------------------------------------------- re-bake from a Take
def _track(frames: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(frames) / 25.0
    raw = np.zeros((frames, len(EMOTION_NAMES)))
    raw[:, NEUTRAL] = 1.0
    raw[:, HAPPY] = np.clip(np.sin(t), 0, None) * 2
    raw[frames // 2:, SAD] = rng.uniform(0, 1, frames - frames // 2)     # noisy half: keeps every key
    return raw / raw.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("tolerance", [0.0, 1e-5, 1e-4])
def test_from_emotion_track_round_trip(tmp_path, tolerance):
    track = _track(300, 1).astype(np.float32)
    curves = EmotionCurves.from_emotion_track(track, 25.0, frame_start=7, tolerance=tolerance)
    assert "angry" not in curves.curves and "neutral" in curves.curves
    reloaded = load_emotion_curves(save_emotion_curves(curves, tmp_path / "rebake.json"))
    weights, intensity = reloaded.sample(25.0, 300, frame_start=7)
    assert np.abs(weights - track).max() < 1e-3
    np.testing.assert_array_equal(intensity, 1.0)


def test_from_emotion_track_simplifies_held_emotion():
    track = np.zeros((5000, len(EMOTION_NAMES)), np.float32)
    track[:, HAPPY], track[:, NEUTRAL] = 0.7, 0.3
    curves = EmotionCurves.from_emotion_track(track, 30.0)
    assert all(len(keys) == 2 for keys in curves.curves.values())
    np.testing.assert_allclose(curves.sample(30.0, 5000)[0], track, atol=1e-6)


@pytest.mark.parametrize("track", [np.zeros((4, 7)), np.zeros((0, 8)), np.full((3, 8), 0.5),
                                   np.full((3, 8), np.nan)])
def test_from_emotion_track_refuses_bad_tracks(track):
    with pytest.raises(RealtalkError, match="emotion track"):
        EmotionCurves.from_emotion_track(track, 25.0)


# --------------------------------------------------------------------------- bad input
BAD_JSON = {
    "unknown emotion": (_doc(curves={"joy": [[0, 1]]}), "known: neutral"),
    "negative value": (_doc(curves={"happy": [[0, -0.1]]}), "below 0"),
    "value above 1": (_doc(curves={"happy": [[0, 1.2]]}), "above 1"),
    "intensity above 2": (_doc(intensity=[[0, 2.5]]), "above 2"),
    "nan": (_doc(curves={"happy": [[0, float("nan")]]}), "not finite"),
    "inf time": (_doc(curves={"happy": [[float("inf"), 0.5]]}), "not finite"),
    "out of order": (_doc(curves={"happy": [[1, 0.5], [0, 0.2]]}), "increasing time"),
    "duplicate time": (_doc(curves={"happy": [[1, 0.5], [1, 0.2]]}), "increasing time"),
    "string number": (_doc(curves={"happy": [[0, "0.5"]]}), "key 0"),
    "not a pair": (_doc(curves={"happy": [[0, 0.5, 1]]}), "pair"),
    "wrong format": (_doc(format="something-else"), "format"),
    "no format": ({k: v for k, v in _doc().items() if k != "format"}, "format"),
    "newer version": (_doc(version=2), "upgrade"),
    "empty curves": (_doc(curves={}), "no emotion curves"),
    "empty curve": (_doc(curves={"happy": []}), "no keys"),
    "bad units": (_doc(units="minutes"), "units"),
    "bad interpolation": (_doc(interpolation="cubic"), "interpolation"),
    "unknown field": (_doc(fps=25), "unknown field"),
    "top level list": ([1, 2], "JSON object"),
}


@pytest.mark.parametrize("case", sorted(BAD_JSON))
def test_bad_json_names_the_file(tmp_path, case):
    doc, fragment = BAD_JSON[case]
    path = tmp_path / "bad curves.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(RealtalkError, match=fragment) as err:
        load_emotion_curves(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value) and err.value.exit_code == 2


@pytest.mark.parametrize("text, fragment", [
    ('{"format": ', "not valid JSON at line 1"),
    ('{"format": "realtalk-emotion-curves", "format": "x"}', "twice"),
])
def test_unparsable_json(tmp_path, text, fragment):
    path = tmp_path / "c.json"
    path.write_text(text)
    with pytest.raises(RealtalkError, match=fragment) as err:
        load_emotion_curves(path)
    assert str(path) in str(err.value)


BAD_CSV = {
    "unparsable number": ("time,happy\n0,0.5\n1,abc\n", "line 3, column 'happy': 'abc' is not a number"),
    "unparsable time": ("time,happy\nzero,0.5\n", "line 2, column 'time'"),
    "negative": ("time,happy\n0,-0.5\n", "outside"),
    "above 1": ("time,happy\n0,1.5\n", "outside"),
    "intensity above 2": ("time,happy,intensity\n0,0.5,3\n", "outside"),
    "nan": ("time,happy\n0,nan\n", "not finite"),
    "out of order": ("time,happy\n1,0.5\n0,0.2\n", "line 3"),
    "duplicate time": ("frame,happy\n1,0.5\n1,0.2\n", "sort rows"),
    "unknown emotion": ("time,joy\n0,1\n", "known: neutral"),
    "bad first column": ("seconds,happy\n0,1\n", "time .seconds. or frame"),
    "duplicate column": ("time,happy,happy\n0,1,1\n", "twice"),
    "empty column": ("time,happy,sad\n0,1,\n", "'sad' has no values"),
    "no emotion columns": ("time\n0\n", "no emotion columns"),
    "empty file": ("\n\n", "empty file"),
    "header only": ("time,happy\n", "no values"),
    "missing time": ("time,happy\n,0.5\n", "no time"),
    "too many cells": ("time,happy\n0,0.5,0.3\n", "header has 2"),
}


@pytest.mark.parametrize("case", sorted(BAD_CSV))
def test_bad_csv_names_the_file(tmp_path, case):
    text, fragment = BAD_CSV[case]
    path = tmp_path / "curves.csv"
    path.write_text(text)
    with pytest.raises(RealtalkError, match=fragment) as err:
        load_emotion_curves(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_missing_file_and_unknown_extension(tmp_path):
    with pytest.raises(RealtalkError, match="no such file") as err:
        load_emotion_curves(tmp_path / "nope.json")
    assert "nope.json" in str(err.value)
    other = tmp_path / "curves.txt"
    other.write_text("time,happy\n0,1\n")
    with pytest.raises(RealtalkError, match="unknown extension '.txt'") as err:
        load_emotion_curves(other)
    assert str(other) in str(err.value)
    binary = tmp_path / "curves.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(RealtalkError, match="UTF-8"):
        load_emotion_curves(binary)


def test_sample_refuses_bad_rate():
    curves = EmotionCurves.from_preset("happy")
    for fps in (0.0, -25.0, float("nan")):
        with pytest.raises(RealtalkError, match="fps"):
            curves.sample(fps, 10)


# ---------------------------------------------------------------------------- property
_TIMES = st.lists(st.floats(-10, 100, allow_nan=False), min_size=1, max_size=6, unique=True).map(sorted)


@st.composite
def _curves(draw) -> EmotionCurves:
    names = draw(st.lists(st.sampled_from(EMOTION_NAMES), min_size=1, max_size=8, unique=True))
    curves = {name: tuple(zip(times, draw(st.lists(st.floats(0, 1), min_size=len(times), max_size=len(times)))))
              for name in names for times in [draw(_TIMES)]}
    times = draw(_TIMES)
    intensity = tuple(zip(times, draw(st.lists(st.floats(0, 2), min_size=len(times), max_size=len(times)))))
    return EmotionCurves(curves, intensity, draw(st.sampled_from(["smooth", "linear"])),
                         draw(st.sampled_from(["seconds", "frames"])))


@given(curves=_curves(), fps=st.floats(1, 120), frames=st.integers(0, 200), start=st.integers(-50, 3000))
def test_random_curves_sample_to_finite_mixes(curves, fps, frames, start):
    weights, intensity = curves.sample(fps, frames, frame_start=start)
    assert weights.shape == (frames, len(EMOTION_NAMES)) and intensity.shape == (frames,)
    _check_rows(weights)
    assert np.isfinite(intensity).all() and (intensity >= 0).all() and (intensity <= 2).all()


def test_keys_a_denormal_apart_sample_without_overflow():
    # found by hypothesis: (t - t0) / (t1 - t0) overflows when t1 - t0 is the smallest float
    curves = EmotionCurves.from_json({"format": "realtalk-emotion-curves", "version": 1,
                                      "curves": {"neutral": [[0.0, 0.0], [5e-324, 0.0]], "angry": [[0.0, 0.0]]},
                                      "intensity": [[0.0, 0.0]]})
    weights, intensity = curves.sample(1.0, 1, 1)
    assert np.all(np.isfinite(weights)) and weights[0, 0] == 1.0 and intensity[0] == 0.0
