"""`realtalk synth subject`: a rendered synthetic subject dataset that `realtalk process` can be checked against."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from realtalk_core.process import PassConfig, ProcessConfig, process_video
from realtalk_core.process.dataset import load_dataset
from realtalk_core.process.mead import find_clips
from realtalk_core.progress import Progress
from realtalk_core.schema.errors import RealtalkError
from realtalk_core.synth.subject_pipeline import run_subject
from realtalk_core.synth.tracking_check import compare

pytest.importorskip("bpy")
QUIET = Progress("none")


@pytest.fixture(scope="module")
def subject(tiny_subject_dataset) -> Path:
    """The session's tiny rendered subject (tests/realtalk_core/conftest.py)."""
    return tiny_subject_dataset


def _probe(path: Path) -> str:
    return subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-i", str(path)], capture_output=True, text=True).stderr


def test_the_subject_is_a_dataset_with_exact_ground_truth(subject):
    data = load_dataset(subject)
    assert data.manifest["source"]["kind"] == "synthetic" and data.has_audio
    assert data.frames >= 80 and data.frame(0).shape == (160, 160, 3)
    labels = np.unique(data.mask(data.frames // 2))
    assert set(labels.tolist()) == {0, 1, 2}
    assert len(data.split("train")) > 0 and len(data.split("val")) > 0
    # the exact projections land inside the face mask
    image = data.tracks["landmarks_image"][0, :, :2] * 160
    inner = [13, 14, 1, 4, 33, 263, 61, 291]
    mask = data.mask(0)
    assert all(mask[int(y), int(x)] == 2 for x, y in image[inner])
    phones = json.loads((subject / "phones.json").read_text())["phones"]
    assert abs(phones[-1][2] - data.frames / data.fps) < 2 / data.fps


def test_the_plain_video_has_audio_and_the_right_length_and_mead_clips_are_readable(subject):
    data = load_dataset(subject)
    info = _probe(subject / "video.mp4")
    assert "Video: h264" in info and "Audio: aac" in info
    duration = info.split("Duration: ")[1].split(",")[0]
    h, m, s = duration.split(":")
    seconds = int(h) * 3600 + int(m) * 60 + float(s)
    assert abs(seconds - data.frames / data.fps) <= 1.0 / data.fps + 0.03
    clips = find_clips(subject / "mead", "SYN001")
    script = json.loads((subject / "script.json").read_text())
    assert len(clips) == len(script["clips"]) >= 1
    assert {c.emotion for c in clips} <= {"neutral", "angry", "disgust", "contempt", "fear", "happy", "sad", "surprise"}


def test_realtalk_process_recovers_the_ground_truth_landmarks(subject, tmp_path, task_path):
    processed = tmp_path / "processed"
    process_video(subject / "video.mp4", processed, task_path, QUIET,
                  ProcessConfig(passes=PassConfig(fps=25.0, size=160)))
    report = compare(load_dataset(subject), load_dataset(processed))
    assert report["tracked_fraction"] == 1.0
    assert report["mean_iod"] < 0.08, report          # stated bound; the figure at 256 px is in RESULTS.md
    assert report["blendshape_correlation"]["jawOpen"] > 0.5, report


def test_a_finished_subject_is_not_redone_and_other_settings_are_refused(subject, task_path, tiny_subject_config):
    manifest = subject / "dataset.json"
    before = manifest.stat().st_mtime_ns
    run_subject(subject, task_path, tiny_subject_config, QUIET)
    assert manifest.stat().st_mtime_ns == before
    with pytest.raises(RealtalkError, match="other settings"):
        run_subject(subject, task_path, replace(tiny_subject_config, seed=4), QUIET)
