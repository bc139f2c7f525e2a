"""Validation rejects each kind of bad Take with a message naming the file and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from realtalk_core.schema import TAKE_JSON, TRACKS_NPZ, TakeError, load_take, sha256_file


def edit_header(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    header = json.loads((folder / TAKE_JSON).read_text())
    change(header)
    (folder / TAKE_JSON).write_text(json.dumps(header))


def write_tracks(folder: Path, **arrays: np.ndarray) -> None:
    """Replace tracks.npz (bypassing save_take's checks) and re-record its hash."""
    with np.load(folder / TRACKS_NPZ, allow_pickle=False) as old:
        data = {k: old[k] for k in old.files}
    data.update(arrays)
    data = {k: v for k, v in data.items() if v is not None}
    with open(folder / TRACKS_NPZ, "wb") as handle:
        np.savez(handle, **data)
    edit_header(folder, lambda h: h.update(tracks_sha256=sha256_file(folder / TRACKS_NPZ)))


HEADER_CASES = [
    ("schema_version", lambda h: h.update(schema_version=99), "newer than this RealTalk understands"),
    ("schema_version", lambda h: h.update(schema_version="1"), "not an integer"),
    ("fps", lambda h: h.update(fps=0), "must be a number in (0, 240]"),
    ("fps", lambda h: h.update(fps=True), "must be a number"),
    ("frame_count", lambda h: h.update(frame_count=10**9), "must be an integer in [1, 500000]"),
    ("frame_start", lambda h: h.update(frame_start=1.5), "integer frame number"),
    ("emotion_names", lambda h: h["emotion_names"].reverse(), "wrong order"),
    ("emotion_names", lambda h: h["emotion_names"].__setitem__(1, "anger"), "unknown ['anger']"),
    ("blendshape_names", lambda h: h["blendshape_names"].pop(), "missing ['tongueOut']"),
    ("landmark_topology", lambda h: h.update(landmark_topology="dlib68"), "only 'mediapipe478'"),
    ("coordinate_frame", lambda h: h["coordinate_frame"].update(units="cm"), "metres"),
    ("audio.sample_rate", lambda h: h["audio"].update(sample_rate=-1), "integer in [4000, 384000]"),
    ("audio.sha256", lambda h: h["audio"].update(sha256="abc"), "64 lowercase hex"),
    ("audio.offset", lambda h: h["audio"].update(offset=None), "finite number of seconds"),
    ("subject.name", lambda h: h.update(subject={"name": "", "sha256": None}), "non-empty name"),
    ("provenance", lambda h: h.update(provenance=[]), "must be an object"),
    ("colour", lambda h: h.update(colour="red"), "unknown field"),
    ("fps", lambda h: h.pop("fps"), "missing"),
    ("tracks_sha256", lambda h: h.pop("tracks_sha256"), "not written by realtalk_core.schema.save_take"),
]


@pytest.mark.parametrize("field,change,message", HEADER_CASES, ids=[c[0] + ":" + c[2][:20] for c in HEADER_CASES])
def test_bad_header_is_rejected_naming_the_field(make_take, field, change, message):
    folder = make_take()
    edit_header(folder, change)
    with pytest.raises(TakeError) as info:
        load_take(folder)
    text = str(info.value)
    assert text.startswith(str(folder / TAKE_JSON)) and f": {field}:" in text and message in text
    assert "\n" not in text


def test_invalid_json_and_nan_constants(make_take):
    folder = make_take()
    (folder / TAKE_JSON).write_text('{"fps": 25,')
    with pytest.raises(TakeError, match="take.json: is not valid JSON"):
        load_take(folder)
    (folder / TAKE_JSON).write_text('{"fps": NaN}')
    with pytest.raises(TakeError, match="NaN is not allowed"):
        load_take(folder)
    (folder / TAKE_JSON).write_text('{"fps": 1, "fps": 2}')
    with pytest.raises(TakeError, match="duplicate key 'fps'"):
        load_take(folder)


def _pose(frames: int) -> np.ndarray:
    return np.broadcast_to(np.eye(4, dtype=np.float32), (frames, 4, 4)).copy()


def _bad_arrays(frames: int, landmarks: np.ndarray) -> list[tuple[str, dict[str, Any], str]]:
    nan_lm = np.repeat(landmarks[None], frames, 0).astype(np.float32)
    nan_lm[3, 10, 1] = np.nan
    emo_sum = np.full((frames, 8), 0.2, np.float32)
    emo_neg = np.zeros((frames, 8), np.float32)
    emo_neg[:, 0], emo_neg[1, 1], emo_neg[1, 0] = 1.0, -0.5, 1.5
    scaled, sheared, flipped, bottom = _pose(frames), _pose(frames), _pose(frames), _pose(frames)
    scaled[2, :3, :3] *= 1.1
    sheared[4, 0, 1] = 0.3
    flipped[1, 0, 0] = -1.0
    bottom[0, 3, 0] = 0.5
    shapes = np.zeros((frames, 52), np.float32)
    shapes[5, 17] = -0.2
    return [
        ("landmarks", {"landmarks": nan_lm}, "NaN or infinity at frame 3"),
        ("landmarks", {"landmarks": nan_lm[:, :468]}, "shape (6, 468, 3) does not match (6, 478, 3)"),
        ("landmarks", {"landmarks": nan_lm.astype(np.float64)}, "dtype is float64, expected float32"),
        ("blendshapes", {"blendshapes": shapes}, "jawOpen = -0.2 at frame 5 is outside [0, 1]"),
        ("emotion", {"emotion": emo_sum}, "frame 0 sum to 1.6, not 1"),
        ("emotion", {"emotion": emo_neg}, "negative weight at frame 1"),
        ("head_pose", {"head_pose": scaled}, "frame 2: rotation is not orthonormal"),
        ("head_pose", {"head_pose": sheared}, "frame 4: rotation is not orthonormal"),
        ("head_pose", {"head_pose": flipped}, "frame 1: rotation is a reflection"),
        ("head_pose", {"head_pose": bottom}, "frame 0: last row must be [0, 0, 0, 1]"),
        ("emotion", {"emotion": None}, "missing array(s) ['emotion']"),
        ("extra", {"extra": np.zeros(3, np.float32)}, "unexpected array(s) ['extra']"),
        ("head_pose", {"head_pose": np.array([None] * 6, dtype=object)}, "holds Python objects"),
    ]


def test_bad_tracks_are_rejected_naming_the_array(make_take, canonical_landmarks):
    for index, (name, arrays, message) in enumerate(_bad_arrays(6, canonical_landmarks)):
        folder = make_take(name=f"case{index}")
        write_tracks(folder, **arrays)
        with pytest.raises(TakeError) as info:
            load_take(folder)
        text = str(info.value)
        assert text.startswith(str(folder / TRACKS_NPZ)), text
        assert message in text, (name, text)
        assert name.split(".")[0] in text or name == "extra", text


def test_frame_count_disagreement(make_take):
    folder = make_take(frames=6)
    edit_header(folder, lambda h: h.update(frame_count=5))
    with pytest.raises(TakeError, match=r"does not match \(5, 478, 3\) \(frame_count in take.json is 5\)"):
        load_take(folder)
