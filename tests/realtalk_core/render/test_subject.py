"""The rendering API: ``Subject.load(dir).render(landmarks, blendshapes, head_pose, size)`` and its refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from scipy.ndimage import maximum_filter

from realtalk_core.process.dataset import load_dataset
from realtalk_core.render.model import REGION_SIZE
from realtalk_core.render.subject import PLATE_FILE, SUBJECT_FILE, TRAIN_STATE_FILE, Subject, over
from realtalk_core.schema.errors import RealtalkError
from realtalk_core.training.checkpoint import CheckpointError


@pytest.fixture(scope="module")
def subject(trained_subject) -> Subject:
    return Subject.load(trained_subject)


@pytest.fixture(scope="module")
def tracks(tiny_subject_dataset) -> dict[str, np.ndarray]:
    """Three validation frames of the dataset: landmarks, blendshapes, head_pose."""
    dataset = load_dataset(tiny_subject_dataset)
    frames = dataset.split("val")[:3]
    return {name: dataset.tracks[name][frames] for name in ("landmarks", "blendshapes", "head_pose")}


def _render(subject: Subject, tracks: dict[str, np.ndarray], size: int | None = None, **kwargs):
    return subject.render(tracks["landmarks"], tracks["blendshapes"], tracks["head_pose"], size, **kwargs)


def test_a_subject_loads_from_its_folder_or_its_file(subject, trained_subject):
    assert subject.image_size == 160 and subject.plate.shape == (160, 160, 3)
    assert subject.meta["step"] == 30 and len(subject.sha256) == 64
    again = Subject.load(trained_subject / SUBJECT_FILE)
    assert again.sha256 == subject.sha256 and again.root == trained_subject
    assert subject.background(64).shape == (64, 64, 3)


def test_render_is_deterministic_uint8_rgba(subject, tracks):
    frames = _render(subject, tracks)
    assert frames.dtype == np.uint8 and frames.shape == (3, 160, 160, 4)
    assert np.array_equal(frames, _render(subject, tracks))
    one_by_one = _render(subject, tracks, batch=1).astype(int)                      # batching: rounding at most
    assert np.abs(one_by_one - frames).max() <= 1
    alpha = frames[..., 3]
    assert alpha[:, 60:100, 60:100].mean() > 128                                    # the face is covered


def test_alpha_is_zero_far_from_where_the_person_ever_was(subject, tracks):
    alpha = _render(subject, tracks)[..., 3]
    for corner in (alpha[:, :16, :16], alpha[:, :16, -16:]):                       # above the shoulders
        assert (corner == 0).all()
    region = subject.model.person_region[0, 0].numpy()                            # (REGION_SIZE, REGION_SIZE)
    empty = maximum_filter(region, size=3) == 0                                   # a cell and its neighbours empty
    cells = np.floor((np.arange(160) + 0.5) / 160 * REGION_SIZE).astype(int)      # the cell under each pixel
    outside = empty[cells[:, None], cells[None, :]]                               # (160, 160)
    assert outside.mean() > 0.2
    assert (alpha[:, outside] == 0).all()


@pytest.mark.parametrize("size", [64, 128])
def test_render_at_another_size(subject, tracks, size):
    frames = _render(subject, tracks, size)
    assert frames.shape == (3, size, size, 4) and frames.dtype == np.uint8
    # the same picture, smaller: its alpha is close to the training size's, area-resized
    full = _render(subject, tracks)
    resized = np.stack([cv2.resize(f[..., 3], (size, size), interpolation=cv2.INTER_AREA) for f in full])
    assert np.abs(resized.astype(np.float32) - frames[..., 3]).mean() < 12


def test_composited_frames_look_like_the_dataset(subject, tracks, tiny_subject_dataset):
    dataset = load_dataset(tiny_subject_dataset)
    truth = np.stack([dataset.frame(i) for i in dataset.split("val")[:3]]).astype(np.float32)
    composite = over(_render(subject, tracks), subject.background()).astype(np.float32)
    psnr = 10 * np.log10(255.0 ** 2 / np.mean((composite - truth) ** 2))
    assert psnr > 15.0


def test_attention_maps_come_with_the_frames_on_request(subject, tracks):
    frames, maps = _render(subject, tracks, 64, with_attention=True)
    assert frames.shape == (3, 64, 64, 4)
    assert maps.shape == (3, len(subject.model.token_names), 32, 32)
    assert np.isfinite(maps).all() and (maps >= 0).all() and (maps.sum(1) <= 1.0 + 1e-5).all()


def _refused(error: pytest.ExceptionInfo, *words: str) -> None:
    message = str(error.value)
    assert "\n" not in message, message
    assert all(w in message for w in words), message


@pytest.mark.parametrize("field", ["landmarks", "blendshapes", "head_pose"])
def test_nan_inputs_are_refused(subject, tracks, field):
    bad = {k: v.copy() for k, v in tracks.items()}
    bad[field][1].flat[0] = np.nan
    with pytest.raises(RealtalkError) as error:
        _render(subject, bad)
    _refused(error, "NaN")


@pytest.mark.parametrize(("field", "shape"), [("landmarks", (3, 468, 3)), ("blendshapes", (3, 51)),
                                              ("head_pose", (3, 3, 4)), ("blendshapes", (2, 52))])
def test_wrong_shapes_are_refused(subject, tracks, field, shape):
    bad = dict(tracks, **{field: np.zeros(shape, np.float32)})
    with pytest.raises(RealtalkError) as error:
        _render(subject, bad)
    _refused(error, "expected (T, 478, 3) landmarks", str(shape))


@pytest.mark.parametrize("size", [28, 66, 161])
def test_sizes_must_be_multiples_of_four_and_at_least_32(subject, tracks, size):
    with pytest.raises(RealtalkError) as error:
        _render(subject, tracks, size)
    _refused(error, f"--size {size}")


@pytest.fixture
def subject_copy(tmp_path, trained_subject) -> Path:
    folder = tmp_path / "subject"
    folder.mkdir()
    for name in (SUBJECT_FILE, PLATE_FILE, TRAIN_STATE_FILE):
        shutil.copy(trained_subject / name, folder / name)
    return folder


def test_a_truncated_subject_file_is_one_line_naming_it(subject_copy):
    path = subject_copy / SUBJECT_FILE
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError) as error:
        Subject.load(subject_copy)
    _refused(error, str(path), "not a readable checkpoint")


def test_other_broken_subjects_are_one_line_naming_the_file(subject_copy, tmp_path):
    with pytest.raises(CheckpointError) as error:
        Subject.load(subject_copy / TRAIN_STATE_FILE)                  # a training state is not a subject
    _refused(error, str(subject_copy / TRAIN_STATE_FILE), "'subject'")
    with pytest.raises(CheckpointError) as error:
        Subject.load(tmp_path / "nowhere")
    _refused(error, str(tmp_path / "nowhere"), "no such checkpoint file")
    (subject_copy / PLATE_FILE).unlink()
    with pytest.raises(RealtalkError) as error:
        Subject.load(subject_copy)
    _refused(error, str(subject_copy / PLATE_FILE))


def test_frames_above_the_trained_size_march_no_more_rays(subject, tracks):
    trained = subject.image_size
    native = _render(subject, tracks, trained)
    native_samples = subject.model.last_samples
    double = _render(subject, tracks, 2 * trained)
    assert double.shape[1:] == (2 * trained, 2 * trained, 4)
    assert subject.model.last_samples == native_samples          # the same rays; the decoder upsamples
    small = cv2.resize(double[0], (trained, trained), interpolation=cv2.INTER_AREA).astype(np.int16)
    assert np.abs(small[..., 3] - native[0][..., 3].astype(np.int16)).mean() < 8   # the same person coverage
