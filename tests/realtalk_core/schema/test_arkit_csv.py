"""Live Link Face CSV: exact header, columns by name, timecodes, head angles, round trip, errors."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from realtalk_core.schema.arkit_csv import (BLENDSHAPE_COUNT, HEADER, LIVE_LINK_FACE_BLENDSHAPES, head_angles,
                                            read_arkit_csv, timecode, write_arkit_csv)
from realtalk_core.schema.channels import ARKIT_BLENDSHAPE_NAMES
from realtalk_core.schema.errors import RealtalkError
from realtalk_core.synth.idle import euler_matrix

#: The header Live Link Face writes, verbatim.
APP_HEADER = (
    "Timecode,BlendShapeCount,EyeBlinkLeft,EyeLookDownLeft,EyeLookInLeft,EyeLookOutLeft,EyeLookUpLeft,"
    "EyeSquintLeft,EyeWideLeft,EyeBlinkRight,EyeLookDownRight,EyeLookInRight,EyeLookOutRight,EyeLookUpRight,"
    "EyeSquintRight,EyeWideRight,JawForward,JawRight,JawLeft,JawOpen,MouthClose,MouthFunnel,MouthPucker,"
    "MouthRight,MouthLeft,MouthSmileLeft,MouthSmileRight,MouthFrownLeft,MouthFrownRight,MouthDimpleLeft,"
    "MouthDimpleRight,MouthStretchLeft,MouthStretchRight,MouthRollLower,MouthRollUpper,MouthShrugLower,"
    "MouthShrugUpper,MouthPressLeft,MouthPressRight,MouthLowerDownLeft,MouthLowerDownRight,MouthUpperUpLeft,"
    "MouthUpperUpRight,BrowDownLeft,BrowDownRight,BrowInnerUp,BrowOuterUpLeft,BrowOuterUpRight,CheekPuff,"
    "CheekSquintLeft,CheekSquintRight,NoseSneerLeft,NoseSneerRight,TongueOut,HeadYaw,HeadPitch,HeadRoll,"
    "LeftEyeYaw,LeftEyePitch,LeftEyeRoll,RightEyeYaw,RightEyePitch,RightEyeRoll")


def _rows(path) -> list[list[str]]:
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def _random_shapes(frames: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 1, (frames, len(ARKIT_BLENDSHAPE_NAMES))).astype(np.float32)


def test_every_column_maps_to_an_arkit_name():
    assert len(LIVE_LINK_FACE_BLENDSHAPES) == len(set(LIVE_LINK_FACE_BLENDSHAPES)) == 52
    assert {c[0].lower() + c[1:] for c in LIVE_LINK_FACE_BLENDSHAPES} == set(ARKIT_BLENDSHAPE_NAMES)
    assert ",".join(HEADER) == APP_HEADER and BLENDSHAPE_COUNT == 61


def test_header_and_rows(tmp_path):
    path = write_arkit_csv(tmp_path / "take.csv", _random_shapes(3), 30.0)
    rows = _rows(path)
    assert rows[0][:4] == ["Timecode", "BlendShapeCount", "EyeBlinkLeft", "EyeLookDownLeft"]
    assert rows[0][-9:] == ["HeadYaw", "HeadPitch", "HeadRoll", "LeftEyeYaw", "LeftEyePitch", "LeftEyeRoll",
                            "RightEyeYaw", "RightEyePitch", "RightEyeRoll"]
    assert len(rows) == 4 and all(len(row) == 2 + 61 for row in rows)
    assert [row[1] for row in rows[1:]] == ["61"] * 3
    assert [row[0] for row in rows[1:]] == ["00:00:00:00.000", "00:00:00:01.000", "00:00:00:02.000"]
    assert all(float(cell) == 0.0 for row in rows[1:] for cell in row[-9:])     # no pose, no eye angles
    assert not list(tmp_path.glob(".*.tmp"))


def test_columns_are_mapped_by_name(tmp_path):
    shapes = np.zeros((1, 52), np.float32)
    for value, name in enumerate(("jawLeft", "jawRight", "mouthLeft", "mouthRight", "tongueOut"), start=1):
        shapes[0, ARKIT_BLENDSHAPE_NAMES.index(name)] = value / 10
    rows = _rows(write_arkit_csv(tmp_path / "t.csv", shapes, 25.0))
    cell = dict(zip(rows[0], rows[1]))
    assert [float(cell[c]) for c in ("JawLeft", "JawRight", "MouthLeft", "MouthRight", "TongueOut")] == \
        pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5], abs=1e-7)


@pytest.mark.parametrize("frame, fps, expected", [
    (0, 25.0, "00:00:00:00.000"), (30, 25.0, "00:00:01:05.000"), (35, 30.0, "00:00:01:05.000"),
    (60 * 60 * 30 + 61 * 30 + 29, 30.0, "01:01:01:29.000"), (30, 29.97, "00:00:01:00.000"),
])
def test_timecode(frame, fps, expected):
    assert timecode(frame, fps) == expected


def test_frame_start_shifts_timecodes(tmp_path):
    rows = _rows(write_arkit_csv(tmp_path / "t.csv", _random_shapes(2), 25.0, frame_start=30))
    assert [row[0] for row in rows[1:]] == ["00:00:01:05.000", "00:00:01:06.000"]


def test_round_trip_within_1e6(tmp_path):
    shapes = _random_shapes(70, seed=3)
    shapes[0] = 0.0
    shapes[1] = 1.0
    names, values, fps = read_arkit_csv(write_arkit_csv(tmp_path / "t.csv", shapes, 30.0))
    assert names == ARKIT_BLENDSHAPE_NAMES and values.dtype == np.float32 and values.shape == (70, 52)
    assert np.abs(values - shapes).max() <= 1e-6
    assert fps == 30.0


def test_fps_guess_needs_a_second_boundary(tmp_path):
    assert read_arkit_csv(write_arkit_csv(tmp_path / "a.csv", _random_shapes(10), 25.0)).fps is None
    assert read_arkit_csv(write_arkit_csv(tmp_path / "b.csv", _random_shapes(30), 25.0)).fps == 25.0


def test_head_yaw_of_known_rotation(tmp_path):
    frames = 5
    yaw, pitch, roll = np.linspace(-0.6, 0.6, frames), np.linspace(0.3, -0.2, frames), np.full(frames, 0.1)
    pose = np.tile(np.eye(4), (frames, 1, 1))
    pose[:, :3, :3] = euler_matrix(pitch, yaw, roll)
    pose[:, 2, 3] = -0.6
    np.testing.assert_allclose(head_angles(pose[:, :3, :3]), np.stack([yaw, pitch, roll], 1), atol=1e-12)
    rows = _rows(write_arkit_csv(tmp_path / "t.csv", _random_shapes(frames), 25.0, head_pose=pose))
    column = {name: i for i, name in enumerate(rows[0])}
    got = np.array([[float(row[column[c]]) for c in ("HeadYaw", "HeadPitch", "HeadRoll")] for row in rows[1:]])
    np.testing.assert_allclose(got, np.stack([yaw, pitch, roll], 1), atol=1e-7)


def test_pure_yaw_turns_nose_to_subjects_left():
    c, s = np.cos(0.4), np.sin(0.4)
    rotation = np.array([[[c, 0, s], [0, 1, 0], [-s, 0, c]]])       # +z (nose) towards +x
    np.testing.assert_allclose(head_angles(rotation), [[0.4, 0.0, 0.0]], atol=1e-12)


def test_reads_an_app_capture_in_any_column_order_and_case(tmp_path):
    columns = list(HEADER)
    columns[2:54] = reversed(columns[2:54])
    columns = [c.lower() if i % 2 else c for i, c in enumerate(columns)]
    values = {name: (i + 1) / 100 for i, name in enumerate(LIVE_LINK_FACE_BLENDSHAPES)}
    line = [{"timecode": "17:33:25:17.683", "blendshapecount": "61"}.get(c.lower(), "") or
            str(values.get(next((n for n in LIVE_LINK_FACE_BLENDSHAPES if n.lower() == c.lower()), ""), 0.0))
            for c in columns]
    path = tmp_path / "MySlate_1_iPhone.csv"
    path.write_text(",".join(columns) + "\n" + ",".join(line) + "\n")
    names, read, fps = read_arkit_csv(path)
    for name in LIVE_LINK_FACE_BLENDSHAPES:
        assert read[0, names.index(name[0].lower() + name[1:])] == pytest.approx(values[name])
    assert fps is None


@pytest.mark.parametrize("mutate, fragment", [
    (lambda h, r: (h.replace(",JawOpen", ""), r), "'JawOpen' is missing"),
    (lambda h, r: (h, r.replace("0.50000000", "abc", 1)), "is not a number"),
    (lambda h, r: (h, r.replace("0.50000000", "nan", 1)), "not finite"),
    (lambda h, r: (h, r.rsplit(",", 5)[0]), "cut short"),
    (lambda h, r: ("", ""), "empty file"),
])
def test_bad_files_name_the_file(tmp_path, mutate, fragment):
    path = write_arkit_csv(tmp_path / "cap.csv", np.full((1, 52), 0.5), 25.0)
    header, row = path.read_text().splitlines()
    header, row = mutate(header, row)
    path.write_text(header + "\n" + row + "\n")
    with pytest.raises(RealtalkError, match=fragment) as err:
        read_arkit_csv(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(RealtalkError, match="no such file") as err:
        read_arkit_csv(tmp_path / "gone.csv")
    assert "gone.csv" in str(err.value)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"blendshapes": np.zeros((3, 51))}, r"\(3, 51\)"),
    ({"blendshapes": np.full((3, 52), np.nan)}, "NaN"),
    ({"fps": 0.0}, "fps"),
    ({"head_pose": np.tile(np.eye(4), (2, 1, 1))}, "head_pose"),
    ({"frame_start": -1}, "frame_start"),
])
def test_write_refuses_bad_input(tmp_path, kwargs, fragment):
    args = {"blendshapes": np.zeros((3, 52)), "fps": 25.0, **kwargs}
    path = tmp_path / "out.csv"
    with pytest.raises(RealtalkError, match=fragment) as err:
        write_arkit_csv(path, **args)
    assert str(path) in str(err.value) and not path.exists()
