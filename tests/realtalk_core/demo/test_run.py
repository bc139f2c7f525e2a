"""`realtalk demo` end to end on a short text at a small size: every output a user is promised, and a rerun resumes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from realtalk_core.demo import peak_times, resolve_device
from realtalk_core.progress import parse_event
from realtalk_core.schema import load_take
from realtalk_core.schema.channels import EMOTION_NAMES
from realtalk_core.schema.errors import RealtalkError
from realtalk_headless.video import ffmpeg_exe

BIN = Path(sys.executable).parent
TEXT = "Hello there. I am happy, then surprised, and then a little sad."
SIZE = 64


def demo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "realtalk"), "demo", *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "CUDA_VISIBLE_DEVICES": os.environ.get("CUDA_VISIBLE_DEVICES", "")})


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    result = demo("--out", str(out), "--text", TEXT, "--size", str(SIZE), "--device", "cpu", "--progress", "json")
    assert result.returncode == 0, result.stderr
    return out, [parse_event(line) for line in result.stdout.splitlines()]


def test_progress_covers_every_stage_and_names_the_device(first_run):
    _, events = first_run
    assert events[0].event == "start" and events[-1].event == "done"
    infos = [e.data["message"] for e in events if e.event == "info"]
    assert infos and infos[0].startswith("device: CPU")
    stages = list(dict.fromkeys(e.data["stage"] for e in events if e.event == "progress"))
    assert stages == ["speech", "load", "audio", "motion", "emotion", "write", "render", "encode", "figures"]
    assert not [e for e in events if e.event == "warning"]          # the demo's own audio draws no warning


def test_outputs_are_where_the_report_says(first_run):
    out, events = first_run
    outputs = events[-1].data["outputs"]
    report = json.loads((out / "report.json").read_text())
    assert report["outputs"]["video"] == outputs["video"] == str(out / "demo.mp4")
    assert set(report["seconds"]) == {"speech", "generate", "render", "figures"}
    assert all(value > 0 for value in report["seconds"].values())
    assert report["config"]["size"] == SIZE and outputs["device"] == "cpu"
    for name in ("contact_sheet", "curves", "emotion_curves", "speech"):
        assert Path(outputs[name]).is_file(), name
    assert (out / "phones.json").is_file()


def test_video_has_every_frame_and_the_audio(first_run):
    out, _ = first_run
    take = load_take(out / "take")
    text = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(out / "demo.mp4")], capture_output=True,
                          text=True, timeout=60).stderr
    assert re.search(rf"Video: h264.*{SIZE}x{SIZE}", text) and re.search(r"Audio: aac", text), text
    h, m, s = re.search(r"Duration: (\d+):(\d+):([\d.]+)", text).groups()
    assert abs(int(h) * 3600 + int(m) * 60 + float(s) - take.frame_count / take.fps) < 2 / take.fps
    assert len(list((out / "render" / "frames").glob("*.png"))) == take.frame_count


def test_take_follows_the_arc_and_moves_the_face(first_run):
    out, _ = first_run
    take = load_take(out / "take")
    assert take.audio is not None and take.subject is not None
    duration = take.frame_count / take.fps
    neutral_frame = int(round(peak_times(duration)["neutral"] * take.fps))
    for name, seconds in peak_times(duration).items():
        frame = min(take.frame_count - 1, int(round(seconds * take.fps)))
        assert EMOTION_NAMES[int(take.tracks.emotion[frame].argmax())] == name
        if name != "neutral":                                  # the emotion visibly bends the face
            moved = np.abs(take.tracks.landmarks[frame] - take.tracks.landmarks[neutral_frame]).max()
            assert moved > 0.002, (name, moved)


def test_pictures_are_drawn(first_run):
    out, _ = first_run
    sheet = cv2.imread(str(out / "contact_sheet.png"))
    curves = cv2.imread(str(out / "curves.png"))
    assert sheet is not None and sheet.shape[1] > sheet.shape[0] > 300     # four columns, frame over landmarks
    assert curves is not None and curves.shape[1] >= 1000
    assert sheet.std() > 20 and curves.std() > 20                           # not blank


def test_a_second_run_reuses_the_finished_frames(first_run):
    out, _ = first_run
    before = {p.name: p.read_bytes() for p in (out / "render" / "frames").glob("*.png")}
    result = demo("--out", str(out), "--text", TEXT, "--size", str(SIZE), "--device", "cpu", "--progress", "json")
    assert result.returncode == 0, result.stderr
    events = [parse_event(line) for line in result.stdout.splitlines()]
    render = [e.data for e in events if e.event == "progress" and e.data["stage"] == "render"]
    assert render[1]["done"] == render[1]["total"] == len(before)          # every frame already done
    assert render[1]["note"] == f"{len(before)} frames already done"
    assert {p.name: p.read_bytes() for p in (out / "render" / "frames").glob("*.png")} == before


def test_device_auto_falls_back_to_the_cpu_and_says_why():
    import torch

    if torch.cuda.is_available():
        assert resolve_device("auto")[0] == "cuda"
    else:
        device, note = resolve_device("auto")
        assert device == "cpu" and "no CUDA GPU" in note
        with pytest.raises(RealtalkError, match="no CUDA device"):
            resolve_device("cuda")
    assert resolve_device("cpu")[0] == "cpu"


@pytest.mark.parametrize("args, message", [
    (["--size", "63"], "--size 63: use an even number"),
    (["--assets", "/nonexistent/none"], "face_landmarker.task is missing; run `realtalk assets fetch`"),
    (["--text", "   "], "empty text"),
])
def test_bad_input_is_one_line(tmp_path, args, message):
    result = demo("--out", str(tmp_path / "d"), "--progress", "none", *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 2


def test_out_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    result = demo("--out", str(tmp_path / "f"), "--progress", "none")
    assert result.returncode == 2 and "is a file" in result.stderr and "Traceback" not in result.stderr
