"""Rendering the subject in worker processes: files, labels, landmarks, the jaw, resume, bad jobs."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from realtalk_core.schema.channels import ARKIT_BLENDSHAPE_NAMES, LANDMARK_GROUPS
from realtalk_core.synth.subject.labels import Label
from realtalk_core.synth.subject.render import RenderResult, SubjectRenderConfig, render_sequence

pytestmark = pytest.mark.skipif(importlib.util.find_spec("bpy") is None, reason="needs the bpy module")

SIZE = 96
JAW = ARKIT_BLENDSHAPE_NAMES.index("jawOpen")


def _read(path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image).copy()


@pytest.fixture(scope="module")
def sequence() -> tuple[np.ndarray, np.ndarray]:
    weights = np.zeros((2, len(ARKIT_BLENDSHAPE_NAMES)))
    weights[1, JAW] = 0.9
    poses = np.tile(np.eye(4), (2, 1, 1))
    poses[:, :3, 3] = (0.0, 0.0, -0.6)
    return weights, poses


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, sequence) -> RenderResult:
    out = tmp_path_factory.mktemp("subject")
    return render_sequence(*sequence, out, SubjectRenderConfig(size=SIZE, samples=2), workers=1)


def test_files_are_written(rendered):
    assert [p.name for p in rendered.frames] == ["000000.png", "000001.png"]
    for frame, mask in zip(rendered.frames, rendered.masks):
        assert _read(frame).shape == (SIZE, SIZE, 3)
        assert _read(mask).shape == (SIZE, SIZE)
    assert _read(rendered.background).shape == (SIZE, SIZE, 3)
    with np.load(rendered.out_dir / "tracks.npz") as tracks:
        assert tracks["landmarks_image"].shape == (2, 478, 3)
    assert json.loads((rendered.out_dir / "subject.json").read_text())["size"] == SIZE


def test_masks_hold_all_three_labels(rendered):
    for mask in rendered.masks:
        assert set(np.unique(_read(mask)).tolist()) == {int(label) for label in Label}


def test_landmarks_fall_on_the_face(rendered):
    for mask_path, points in zip(rendered.masks, rendered.landmarks_image):
        face = _read(mask_path) == Label.FACE
        # within one pixel: the face-oval landmarks lie exactly on the face's outline
        grown = face.copy()
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                grown |= np.roll(np.roll(face, dy, axis=0), dx, axis=1)
        px = np.clip(np.floor(points[:, :2] * SIZE).astype(int), 0, SIZE - 1)
        assert grown[px[:, 1], px[:, 0]].mean() >= 0.95
        inner = [i for i in range(468) if i not in LANDMARK_GROUPS["face_oval"]]
        assert face[px[inner, 1], px[inner, 0]].mean() >= 0.95


def test_jaw_open_changes_the_mouth_only(rendered):
    closed, opened = (_read(p).astype(float) for p in rendered.frames)
    points = rendered.landmarks_image[1, list(LANDMARK_GROUPS["lips_outer"]), :2] * SIZE
    x0, y0 = np.floor(points.min(axis=0)).astype(int)
    x1, y1 = np.ceil(points.max(axis=0)).astype(int)
    mouth = np.abs(opened - closed)[y0:y1, x0:x1].mean()
    top = np.abs(opened - closed)[: SIZE // 6].mean()       # hair and backdrop above the head
    assert mouth > 10.0 and top < 2.0


def test_background_plate_matches_background_pixels(rendered):
    plate = _read(rendered.background).astype(float)
    frame = _read(rendered.frames[0]).astype(float)
    background = _read(rendered.masks[0]) == Label.BACKGROUND
    assert np.median(np.abs(plate - frame)[background]) < 3.0


def test_resume_skips_finished_frames(rendered, sequence):
    before = {p: p.stat().st_mtime_ns for p in rendered.frames + rendered.masks}
    rendered.frames[1].unlink()
    again = render_sequence(*sequence, rendered.out_dir, SubjectRenderConfig(size=SIZE, samples=2))
    assert again.frames[1].is_file()
    assert again.frames[0].stat().st_mtime_ns == before[rendered.frames[0]]
    assert again.masks[0].stat().st_mtime_ns == before[rendered.masks[0]]
    assert again.masks[1].stat().st_mtime_ns != before[rendered.masks[1]]


def test_worker_rejects_a_bad_job_in_one_line(tmp_path):
    job = tmp_path / "job.json"
    job.write_text('{"format": "realtalk-subject-job", "version": 1, "frames": "all"}')
    result = subprocess.run([sys.executable, "-m", "realtalk_core.synth.subject.worker", "--job", str(job)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(job) in errors[0]
    assert json.loads(result.stdout.splitlines()[-1])["event"] == "error"
