"""`realtalk-render`: frames numbered by the Take, atomic, a real face, JSON progress, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from realtalk_core.progress import parse_event

BIN = Path(sys.executable).parent


def render(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "realtalk-render"), *args], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ))


def read_rgb(path: Path) -> np.ndarray:
    return cv2.imread(str(path), cv2.IMREAD_COLOR)[:, :, ::-1]


def test_frames_are_numbered_by_the_take_and_show_a_face(make_take, tmp_path):
    take = make_take(frames=4, frame_start=10)
    out = tmp_path / "out"
    result = render(str(take), "--out", str(out), "--subject", "proxy", "--size", "96", "--progress", "none")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (out / "frames").iterdir())
    assert names == ["000010.png", "000011.png", "000012.png", "000013.png"]  # no temporary files left
    image = read_rgb(out / "frames" / "000010.png")
    assert image.shape == (96, 96, 3)
    background = np.array([0x22, 0x25, 0x2B])
    face = np.abs(image.astype(int) - background).sum(axis=2) > 30
    assert 0.25 < face.mean() < 0.9                                   # a face, not an empty frame
    ys, xs = np.nonzero(face)
    assert abs(xs.mean() - 48) < 8 and abs(ys.mean() - 48) < 10       # roughly centred
    lips = image[int(ys.max() * 0.8), int(xs.mean())]                 # below the nose: lips, reddish
    skin = image[int(ys.mean()) - 12, int(xs.mean()) - 20]            # cheek: warm skin
    assert skin[0] > skin[2] + 30 and lips[0] > lips[1]


def test_frame_subset_and_background(make_take, tmp_path):
    take = make_take(frames=6, frame_start=0)
    out = tmp_path / "out"
    result = render(str(take), "--out", str(out), "--size", "48", "--frames", "2-3",
                    "--background", "color:#00ff00", "--progress", "none")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "frames").iterdir()) == ["000002.png", "000003.png"]
    corner = read_rgb(out / "frames" / "000002.png")[0, 0]
    assert corner.tolist() == [0, 255, 0]


def test_json_progress(make_take, tmp_path):
    take = make_take(frames=5)
    video = tmp_path / "v.mp4"
    result = render(str(take), "--out", str(tmp_path / "o"), "--subject", "proxy", "--size", "32", "--video",
                    str(video), "--progress", "json")
    assert result.returncode == 0, result.stderr
    events = [parse_event(line) for line in result.stdout.splitlines()]
    assert events[0].event == "start"
    for stage in ("render", "encode"):
        steps = [e for e in events if e.event == "progress" and e.data["stage"] == stage]
        assert steps[-1].data == {"stage": stage, "done": 5, "total": 5}
    assert events[-1].event == "done"
    outputs = events[-1].data["outputs"]
    assert outputs["frames"] == str(tmp_path / "o" / "frames") and outputs["video"] == str(video)
    record = json.loads(Path(outputs["config"]).read_text())           # the resolved settings, beside the frames
    assert record["renderer"] == "proxy" and record["proxy"]["size"] == 32 and record["frames"]["last"] == 4


@pytest.mark.parametrize("extra,message", [
    (["--frames", "5-2"], "the range ends before it starts"),
    (["--frames", "0-99"], "outside the take's frames 0-5"),
    (["--frames", "two"], "expected A-B or N"),
    (["--size", "4"], "--size 4: must be between 16 and 4096"),
    (["--crf", "90"], "--crf 90: must be between 0 and 51"),
    (["--background", "red"], "expected plate, color:#RRGGBB, transparent or an image file"),
    (["--background", "color:#12"], "write a colour as color:#RRGGBB"),
    (["--background", "nothere.png"], "no such image file"),
    (["--subject", "proxy", "--background", "plate"], "the proxy renderer draws over a colour only"),
    (["--workers", "0"], "--workers 0: must be between 1 and 64"),
    (["--background", "transparent", "--video", "v.mp4"], "an H.264 mp4 has no alpha"),
])
def test_bad_options_are_one_line_errors(make_take, tmp_path, extra, message):
    take = make_take()
    out = tmp_path / "out"
    result = render(str(take), "--out", str(out), *extra)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert not (out / "frames").exists() or not any((out / "frames").iterdir())


def test_missing_inputs_are_one_line_errors(make_take, tmp_path):
    take = make_take()
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    cases = [
        ([str(tmp_path / "nope"), "--out", str(tmp_path / "o")], "is not a take folder"),
        ([str(take), "--out", str(blocker / "sub")], "cannot write here"),
        ([str(take), "--out", str(tmp_path / "o"), "--subject", "proxy", "--assets", str(tmp_path / "none")],
         "face_landmarker.task is missing; run `realtalk assets fetch`"),
    ]
    for args, message in cases:
        result = render(*args)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
        assert result.stderr.count("\n") == 1
    result = render(str(take), "--out", str(tmp_path / "o3"), "--video", str(blocker / "v.mp4"))
    assert result.returncode == 2 and "cannot write here" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "o3").exists()  # refused before rendering anything
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "take.json").write_text("{not json")
    result = render(str(broken), "--out", str(tmp_path / "o4"))
    assert result.returncode == 2 and "is not valid JSON" in result.stderr and result.stderr.count("\n") == 1
    (take / "audio.wav").unlink()
    result = render(str(take), "--out", str(tmp_path / "o2"), "--video", str(tmp_path / "v.mp4"))
    assert result.returncode == 2 and "audio file named in take.json is missing" in result.stderr
    assert not (tmp_path / "o2" / "frames").exists()  # refused before rendering anything


def test_help_says_what_it_is():
    result = render("--help")
    text = " ".join(result.stdout.split())
    assert result.returncode == 0 and "tri-plane attention NeRF" in text and "--video" in text
    assert "batch JOBS.toml" in text and "--paste-back" in text and "--dry-run" in text
