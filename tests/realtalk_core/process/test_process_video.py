"""`realtalk process` on real-photo test videos: the dataset, its quality, and resuming."""

from __future__ import annotations

import io
import json
import wave

import numpy as np
import pytest

from realtalk_core.process import ProcessError, load_dataset, process_video
from realtalk_core.process.masks import MASK_LABELS
from realtalk_core.process.stability import photo_spread
from realtalk_core.progress import Progress, iter_events


@pytest.fixture(scope="module")
def camera_dataset(make_clip, speech_wav, task_path, fast_config, tmp_path_factory):
    path, motions, spec = make_clip("camera_speech", kind="camera", audio=speech_wav)
    out = tmp_path_factory.mktemp("ds") / "camera"
    stream = io.StringIO()
    process_video(path, out, task_path, Progress("json", "process", out=stream), fast_config)
    return load_dataset(out), motions, spec, stream.getvalue()


def test_dataset_is_tracked_stable_and_complete(camera_dataset):
    dataset, motions, spec, _ = camera_dataset
    tracks, report = dataset.tracks, dataset.manifest["tracking"]
    assert dataset.frames == round(spec.seconds * 25)
    assert tracks["tracked"].mean() >= 0.95 and report["tracked_fraction"] >= 0.95
    # The photo is still: mapped back through the known camera motion the landmarks barely move.
    assert photo_spread(dataset, motions, spec.fps) < 0.02
    assert report["jitter_after"] < report["jitter_before"]
    assert report["crop_steadiness"] < 0.02
    assert 0.5 < float(np.median(tracks["confidence"])) <= 1.0
    assert np.isfinite(tracks["landmarks"]).all() and np.isfinite(tracks["head_pose"]).all()
    # head frame, metres: the face is about 15 cm wide, centred near the origin
    width = np.ptp(tracks["landmarks"][:, :, 0], axis=1)
    assert np.all((width > 0.10) & (width < 0.20))
    rotation = tracks["head_pose"][:, :3, :3]
    assert np.allclose(rotation @ rotation.transpose(0, 2, 1), np.eye(3), atol=1e-4)
    assert tracks["blendshapes"].shape == (dataset.frames, 52)
    # the astronaut smiles: MediaPipe's smile channels, mapped by name, say so
    names = list(__import__("realtalk_core.schema.channels", fromlist=["x"]).ARKIT_BLENDSHAPE_NAMES)
    assert tracks["blendshapes"][:, names.index("mouthSmileLeft")].mean() > 0.5
    assert tracks["blendshapes"][:, names.index("tongueOut")].max() == 0.0


def test_images_masks_audio_and_split(camera_dataset):
    dataset, *_ = camera_dataset
    size = dataset.manifest["size"]
    assert dataset.frame(0).shape == (size, size, 3) and dataset.background(0).shape == (size, size, 3)
    labels = dataset.mask(10)
    assert set(np.unique(labels)) <= set(MASK_LABELS.values())
    assert (labels == MASK_LABELS["face"]).mean() > 0.05 and (labels == MASK_LABELS["background"]).mean() > 0.05
    wav = dataset.require_audio("motion training")
    with wave.open(str(wav)) as handle:
        assert (handle.getframerate(), handle.getnchannels()) == (16000, 1)
    assert dataset.tracks["audio_features"].shape == (dataset.frames, len(dataset.manifest["audio"]["feature_names"]))
    train, val = dataset.split("train"), dataset.split("val")
    assert len(train) > 0 and len(val) > 0 and train.max() < val.min()
    assert val.min() - train.max() > 1                                   # a gap: no window spans both


def test_manifest_hashes_and_progress(camera_dataset):
    dataset, _, _, stream = camera_dataset
    from realtalk_core.schema.fileio import sha256_file
    files = dataset.manifest["files"]
    assert sha256_file(dataset.root / "frames" / "000003.jpg") == files["frames"][3]
    assert len(dataset.manifest["crop_boxes"]) == dataset.frames == len(dataset.manifest["confidence"])
    stages = {e.data["stage"] for e in iter_events(iter(stream.splitlines())) if e.event == "progress"}
    assert {"detect", "track", "audio"} <= stages
    assert not (dataset.root / ".work").exists()


def test_corrupt_tracks_are_refused(camera_dataset, tmp_path):
    import shutil
    dataset, *_ = camera_dataset
    copy = tmp_path / "copy"
    shutil.copytree(dataset.root, copy)
    with open(copy / "tracks.npz", "r+b") as handle:
        handle.seek(200)
        handle.write(b"\xff" * 16)
    with pytest.raises(ProcessError, match="sha256"):
        load_dataset(copy)
    manifest = json.loads((copy / "dataset.json").read_text())
    manifest["version"] = 99
    (copy / "dataset.json").write_text(json.dumps(manifest))
    with pytest.raises(ProcessError, match="version"):
        load_dataset(copy)


class StopAfter(Progress):
    """Ctrl-C in the middle of the track pass."""

    def __init__(self, frames: int) -> None:
        super().__init__("none")
        self.frames = frames

    def stage(self, name, total=None):
        stage = super().stage(name, total)
        if name == "track":
            advance = stage.advance

            def interrupting(count=1):
                advance(count)
                if stage.done >= self.frames:
                    raise KeyboardInterrupt
            stage.advance = interrupting
        return stage


def test_a_killed_run_resumes_and_matches(make_clip, task_path, fast_config, tmp_path, camera_dataset):
    path, _, _ = make_clip("camera_silent", kind="camera")
    out = tmp_path / "ds"
    with pytest.raises(KeyboardInterrupt):
        process_video(path, out, task_path, StopAfter(45), fast_config)
    assert not (out / "dataset.json").exists()
    assert (out / ".work" / "track_00000.npz").exists() and not (out / ".work" / "track_00001.npz").exists()
    with pytest.raises(ProcessError, match="did not finish"):
        load_dataset(out)
    stream = io.StringIO()
    process_video(path, out, task_path, Progress("json", "process", out=stream), fast_config)
    events = list(iter_events(iter(stream.getvalue().splitlines())))
    assert any(e.event == "warning" and "resuming" in e.data["message"] for e in events)
    first_track = next(e for e in events if e.event == "progress" and e.data["stage"] == "track")
    assert first_track.data["done"] == 0 or first_track.data["done"] >= 30    # the finished chunk is not redone
    resumed = load_dataset(out)
    fresh = tmp_path / "fresh"
    process_video(path, fresh, task_path, Progress("none"), fast_config)
    clean = load_dataset(fresh)
    # The finished chunk is reused as it was; later chunks restart MediaPipe's tracker at the chunk
    # boundary, which may move landmarks by a fraction of a pixel, never more than ~2 px at 256.
    np.testing.assert_array_equal(resumed.tracks["landmarks_image_raw"][:30], clean.tracks["landmarks_image_raw"][:30])
    np.testing.assert_allclose(resumed.tracks["landmarks_image"], clean.tracks["landmarks_image"], atol=0.008)
    np.testing.assert_allclose(resumed.tracks["crop_boxes"], clean.tracks["crop_boxes"], atol=1e-4)
    assert (resumed.tracks["valid"] == clean.tracks["valid"]).all()
    assert not resumed.has_audio
    with pytest.raises(ProcessError, match="no audio"):
        resumed.require_audio("motion training")


def test_a_processed_dataset_is_a_subject_and_motion_training_data(camera_dataset, speech_wav, tmp_path):
    """`generate --subject DATASET` takes the person's fitted face and head style; `train motion` learns from it."""
    from realtalk_core.cli.main import main
    from realtalk_core.schema import load_take

    dataset = camera_dataset[0]
    take_dir = tmp_path / "take"
    assert main(["generate", str(speech_wav), "--out", str(take_dir), "--subject", str(dataset.root),
                 "--progress", "none"]) == 0
    take = load_take(take_dir)
    assert take.provenance["subject"]["source"] == f"dataset {dataset.root}"
    assert take.provenance["subject"]["name"] == dataset.root.name
    valid = dataset.tracks["valid"].astype(bool)
    tracked = np.median(dataset.tracks["landmarks"][valid], axis=0)
    face = np.median(take.tracks.landmarks, axis=0)
    iod = np.linalg.norm(tracked[33] - tracked[263])
    assert np.linalg.norm(face - tracked, axis=1).mean() < 0.1 * iod        # the person's face, not the canonical
    from realtalk_core.synth.idle import HeadMotionConfig
    distance = -np.median(dataset.tracks["head_pose"][valid][:, 2, 3])
    assert abs(HeadMotionConfig().distance - distance) > 0.5 * distance                  # not the default ...
    assert abs(-np.median(take.tracks.head_pose[:, 2, 3]) - distance) < 0.1 * distance   # ... but theirs
    assert (take_dir / "rig.npz").is_file()
    out = tmp_path / "motion.pt"
    assert main(["train", "motion", str(dataset.root), "--out", str(out), "--preset", "tiny", "--progress", "none"]) == 0
    from realtalk_core.training import load_checkpoint
    assert load_checkpoint(out, "motion-vae")[0]["meta"]["summary"]["sequences"] >= 1
