"""The bundled demo subject: it ships in the package, loads with weights_only, and renders a face."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from realtalk_core.render.camera import project_points
from realtalk_core.render.subject import DEMO, Subject, subject_dir
from realtalk_core.schema.channels import LANDMARK_GROUPS, blendshape_index
from realtalk_core.schema.errors import RealtalkError

#: Where the demo subject is small enough to commit (the issue's limit).
MAX_BYTES = 30 * 1024 * 1024


@pytest.fixture(scope="module")
def demo() -> Subject:
    return Subject.load(subject_dir(DEMO))


def _neutral_inputs(demo: Subject, canonical_landmarks: np.ndarray, frames: int = 2):
    pose = np.tile(np.eye(4, dtype=np.float32), (frames, 1, 1))
    pose[:, :3, 3] = demo.model.pose_reference.numpy()
    landmarks = np.tile(canonical_landmarks.astype(np.float32), (frames, 1, 1))
    return landmarks, np.zeros((frames, 52), np.float32), pose


def test_the_demo_subject_is_bundled_small_and_carries_its_provenance(demo):
    folder = subject_dir(None)
    assert folder == subject_dir(DEMO) and (folder / "background.png").is_file()
    assert sum(p.stat().st_size for p in folder.iterdir()) <= MAX_BYTES
    assert demo.meta["command"].startswith("realtalk train subject") and "dataset_sha256" in demo.meta
    assert demo.image_size == 256


def test_the_demo_subject_renders_a_face_over_its_plate(demo, canonical_landmarks):
    rgba = demo.render(*_neutral_inputs(demo, canonical_landmarks), size=256)
    assert rgba.shape == (2, 256, 256, 4) and rgba.dtype == np.uint8
    alpha = rgba[0, :, :, 3].astype(np.float32) / 255.0
    assert alpha[96:160, 96:160].mean() > 0.95            # the face, in the middle, is opaque
    assert alpha[:16, :16].max() < 0.05 and alpha[:16, -16:].max() < 0.05   # the top corners are plate
    face = rgba[0, 96:160, 96:160, :3].astype(np.float32)
    plate = demo.background(256)[96:160, 96:160].astype(np.float32)
    assert np.abs(face - plate).mean() > 20.0            # it is not the plate showing through


def test_opening_the_jaw_changes_the_mouth_and_not_the_background(demo, canonical_landmarks):
    landmarks, blendshapes, pose = _neutral_inputs(demo, canonical_landmarks, frames=1)
    opened = blendshapes.copy()
    opened[0, blendshape_index("jawOpen")] = 1.0
    closed = demo.render(landmarks, blendshapes, pose, smooth=False)[0].astype(np.float32)
    wide = demo.render(landmarks, opened, pose, smooth=False)[0].astype(np.float32)
    change = np.abs(wide[..., :3] - closed[..., :3]).mean(-1)                  # (256, 256), 0-255
    mouth = project_points(torch.from_numpy(landmarks[:, list(LANDMARK_GROUPS["mouth"])]),
                           demo.model.intrinsics[None], torch.from_numpy(pose))[0].numpy() * 256
    (x0, y0), (x1, y1) = mouth.min(0).astype(int) - 4, mouth.max(0).astype(int) + 4
    inside = change[y0:y1, x0:x1].mean()
    background = change[:, :24].mean()                                          # the plate at the left edge
    assert inside > 4.0 and background < 0.5, (inside, background)


def test_an_unknown_subject_name_is_one_line(tmp_path):
    with pytest.raises(RealtalkError, match="no such subject"):
        subject_dir(str(tmp_path / "nobody"))
    with pytest.raises(RealtalkError, match="not a subject folder"):
        subject_dir(str(tmp_path))
