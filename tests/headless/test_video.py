"""The mp4: H.264 + AAC, the Take's duration to within a frame, audio offset honoured, atomic."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from realtalk_core.progress import Progress
from realtalk_core.schema import load_take
from realtalk_headless.job import RenderJob, render_take
from realtalk_headless.video import encode_command, ffmpeg_exe


def probe(path: Path) -> tuple[float, str]:
    text = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True,
                          timeout=60).stderr
    hours, minutes, seconds = re.search(r"Duration: (\d+):(\d+):([\d.]+)", text).groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds), text


def test_video_has_h264_aac_and_the_take_duration(make_take, tmp_path):
    take = make_take(frames=30, frame_start=5)  # 1.2 s at 25 fps
    video = tmp_path / "videos" / "take.mp4"
    outputs = render_take(RenderJob(take=take, out=tmp_path / "o", size=64, video=video), Progress("none"))
    assert outputs["video"] == str(video)
    duration, text = probe(video)
    assert re.search(r"Stream .*Video: h264", text) and re.search(r"Stream .*Audio: aac", text)
    assert abs(duration - 30 / 25) <= 1 / 25 + 0.03  # within a frame (plus AAC priming)
    assert [p.name for p in video.parent.iterdir()] == ["take.mp4"]  # no partial file left


def test_audio_is_aligned_to_the_first_rendered_frame(make_take):
    take_dir = make_take(frames=20, frame_start=100)
    take = load_take(take_dir)
    whole = encode_command(take, take_dir, Path("f"), range(100, 120), Path("x.mp4"), 18)
    assert whole[whole.index("-ss") + 1] == "0.000000"
    part = encode_command(take, take_dir, Path("f"), range(110, 120), Path("x.mp4"), 18)
    assert part[part.index("-ss") + 1] == "0.400000"  # 10 frames at 25 fps into the audio
    assert part[part.index("-t") + 1] == "0.400000"
    assert all(isinstance(arg, str) for arg in part)  # an argument list, never a shell string


def test_video_needs_every_frame(make_take, tmp_path):
    from realtalk_headless.errors import RenderError
    from realtalk_headless.video import encode_video
    take_dir = make_take(frames=3)
    (tmp_path / "frames").mkdir()
    with pytest.raises(RenderError, match="frame 0 is missing"):
        encode_video(load_take(take_dir), take_dir, tmp_path / "frames", range(0, 3), tmp_path / "v.mp4", 18)
    assert not (tmp_path / "v.mp4").exists()
