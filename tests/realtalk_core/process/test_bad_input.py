"""Every row of the bad-input table: a clear one-line error or warning, and nothing that looks finished."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from realtalk_core.process import ProcessError, load_dataset, process_video
from realtalk_core.progress import Progress, iter_events

BIN = Path(sys.executable).parent


def _run(path, out, task_path, config, **kwargs):
    stream = io.StringIO()
    process_video(path, out, task_path, Progress("json", "process", out=stream), config, **kwargs)
    return load_dataset(out), list(iter_events(iter(stream.getvalue().splitlines())))


def test_short_gaps_are_flagged_and_interpolated(make_clip, task_path, fast_config, tmp_path):
    path, _, _ = make_clip("gaps", kind="camera", covered=((30, 37),))          # 8 frames at 30 fps
    dataset, _ = _run(path, tmp_path / "ds", task_path, fast_config)
    tracks, report = dataset.tracks, dataset.manifest["tracking"]
    missing = [frame for first, last in report["missing_frames"] for frame in range(first, last + 1)]
    assert 5 <= len(missing) <= 8 and all(23 <= f <= 33 for f in missing)
    assert not tracks["tracked"][missing].any() and tracks["valid"][missing].all()
    assert report["interpolated_frames"] == report["missing_frames"]
    # interpolated landmarks lie between their neighbours, not at zero
    first, last = report["missing_frames"][0]
    middle = tracks["landmarks_image"][(first + last) // 2, :, :2]
    assert middle.min() > 0.05 and middle.max() < 0.95


def test_mostly_faceless_clip_fails_listing_the_ranges(make_clip, task_path, fast_config, tmp_path):
    path, _, _ = make_clip("gaps_long", kind="camera", covered=((20, 59),))      # 40 of 108 frames
    out = tmp_path / "ds"
    with pytest.raises(ProcessError, match=r"no face found in 3\d% of frames.*frames 1[6-9]-(48|49|50);") as caught:
        process_video(path, out, task_path, Progress("none"), fast_config)
    assert "\n" not in str(caught.value)
    assert not out.exists()                                          # nothing half-made is left


def test_no_face_at_all(make_clip, task_path, fast_config, tmp_path):
    path, _, _ = make_clip("noface", kind="noface")
    with pytest.raises(ProcessError, match="no face found in 100% of frames"):
        process_video(path, tmp_path / "ds", task_path, Progress("none"), fast_config)
    assert not (tmp_path / "ds").exists()


def test_two_faces_follow_the_large_central_one_with_a_warning(make_clip, task_path, fast_config, tmp_path):
    path, motions, spec = make_clip("twofaces", kind="twofaces")
    dataset, events = _run(path, tmp_path / "ds", task_path, fast_config)
    warnings = [e.data["message"] for e in events if e.event == "warning"]
    assert any("faces in view" in message and "largest, most central" in message for message in warnings)
    boxes = dataset.tracks["crop_boxes"]
    centre_x = boxes[:, 0] + boxes[:, 2] / 2
    assert (abs(centre_x - spec.width / 2) < spec.width * 0.2).all()      # never jumps to the corner copy
    assert dataset.tracks["tracked"].mean() >= 0.95


def test_video_without_audio_is_marked(make_clip, task_path, fast_config, tmp_path):
    path, _, _ = make_clip("silent", kind="camera")
    dataset, events = _run(path, tmp_path / "ds", task_path, fast_config)
    assert not dataset.has_audio and "audio_features" not in dataset.tracks
    assert any(e.event == "warning" and "no audio stream" in e.data["message"] for e in events)
    with pytest.raises(ProcessError, match="has no audio.*process a recording with sound"):
        dataset.require_audio("motion training")


def test_variable_frame_rate_source_is_resampled(make_clip, task_path, fast_config, tmp_path):
    path, _, spec = make_clip("camera", kind="camera")
    vfr = tmp_path / "vfr.mkv"
    import imageio_ffmpeg
    # stretch every other frame: timestamps 0, 1.5, 2, 3.5, ... frame periods (a variable-rate stream)
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-vf",
                    "setpts='(N+0.5*mod(N,2))/30/TB'", "-fps_mode", "vfr", "-c:v", "libx264", str(vfr)], check=True)
    dataset, _ = _run(vfr, tmp_path / "ds", task_path, fast_config)
    assert abs(dataset.frames - spec.seconds * 25) <= 2
    assert dataset.tracks["tracked"].mean() >= 0.95


@pytest.mark.parametrize("damage", ["random", "truncated", "empty", "short", "folder", "missing"])
def test_unreadable_inputs_fail_in_one_line(damage, make_clip, task_path, fast_config, tmp_path):
    path, _, _ = make_clip("camera", kind="camera")
    bad = tmp_path / "bad.mp4"
    if damage == "random":
        bad.write_bytes(os.urandom(4000))
    elif damage == "truncated":
        bad.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    elif damage == "empty":
        bad.write_bytes(b"")
    elif damage == "short":
        bad = make_clip("short", kind="camera", seconds=2.0)[0]
    elif damage == "folder":
        bad.mkdir()
    expected = {"random": "corrupt or truncated", "truncated": "corrupt or truncated", "empty": "empty",
                "short": "at least 3 s", "folder": "is a folder", "missing": "no such file"}[damage]
    out = tmp_path / "ds"
    result = subprocess.run([str(BIN / "realtalk"), "process", str(bad), "--out", str(out), "--size", "128",
                             "--progress", "none"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("realtalk: error:")]
    assert len(errors) == 1 and str(bad) in errors[0] and expected in errors[0]
    assert "Traceback" not in result.stderr
    assert not (out / "dataset.json").exists()


def test_full_disk_stops_cleanly_and_resumes(make_clip, task_path, tmp_path):
    path, _, _ = make_clip("camera", kind="camera")
    out = tmp_path / "ds"
    # A 1 MB file-size limit: the first big write (tracks.npz) fails with EFBIG, as on a full disk.
    limited = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
               "resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000)); "
               "from realtalk_core.cli.main import main; sys.exit(main(sys.argv[1:]))")
    args = ["process", str(path), "--out", str(out), "--size", "256", "--progress", "none"]
    result = subprocess.run([sys.executable, "-c", limited, *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr[-500:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("realtalk: error:")]
    assert len(errors) == 1 and "no space left" in errors[0] and "resumes" in errors[0]
    assert not (out / "dataset.json").exists()
    done = subprocess.run([str(BIN / "realtalk"), *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-500:]
    assert "resuming" in done.stderr
    assert load_dataset(out).frames > 0
