"""The mp4: H.264 + AAC, the Take's duration to within a frame, audio aligned to the frames, atomic."""

from __future__ import annotations

import os
import re
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from realtalk_core.progress import Progress
from realtalk_core.schema import Take, Tracks, attach_audio, load_take, save_take
from realtalk_headless.errors import RenderError
from realtalk_headless.job import RenderJob, render_take
from realtalk_headless.video import encode_command, encode_video, ffmpeg_exe

FPS = 25.0
RATE = 16000


def probe(path: Path) -> tuple[float, str]:
    text = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True,
                          timeout=60).stderr
    hours, minutes, seconds = re.search(r"Duration: (\d+):(\d+):([\d.]+)", text).groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds), text


def tone_onset(path: Path) -> float:
    """Seconds into the mp4's audio where the tone becomes audible."""
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", "8000", "-"],
                         capture_output=True, timeout=60, check=True).stdout
    samples = np.abs(np.frombuffer(raw, "<i2").astype(np.float32))
    return float(np.argmax(samples > 0.25 * samples.max())) / 8000


def silence_then_tone(path: Path, silence: float, seconds: float) -> Path:
    """A 16-bit mono WAV: ``silence`` seconds of nothing, then a 440 Hz tone up to ``seconds``."""
    t = np.arange(int(seconds * RATE)) / RATE
    samples = np.where(t >= silence, 0.5 * np.sin(2 * np.pi * 440 * t), 0.0)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture
def toned_take(tmp_path, canonical_landmarks):
    """Factory: a Take whose audio is silent for ``silence`` s, then a tone; audio offset ``offset``."""

    def factory(frames: int, frame_start: int, silence: float, offset: float) -> Path:
        folder = tmp_path / f"take_{frame_start}_{offset}"
        tracks = Tracks.neutral(frames, canonical_landmarks)
        tracks.head_pose[:, 2, 3] = -0.6
        folder.mkdir()
        wav = silence_then_tone(tmp_path / "src.wav", silence, silence + frames / FPS + 1.0)
        audio = attach_audio(folder, wav, RATE, offset=offset)
        save_take(Take(fps=FPS, tracks=tracks, frame_start=frame_start, audio=audio), folder)
        return folder

    return factory


def test_video_has_h264_aac_and_the_take_duration(make_take, tmp_path):
    take = make_take(frames=30, frame_start=5)  # 1.2 s at 25 fps
    video = tmp_path / "videos" / "take.mp4"
    outputs = render_take(RenderJob(take=take, out=tmp_path / "o", size=64, video=video), Progress("none"))
    assert outputs["video"] == str(video)
    duration, text = probe(video)
    assert re.search(r"Stream .*Video: h264", text) and re.search(r"Stream .*Audio: aac", text)
    assert abs(duration - 30 / FPS) <= 1 / FPS
    assert [p.name for p in video.parent.iterdir()] == ["take.mp4"]  # no partial file left
    umask = os.umask(0o022)
    os.umask(umask)
    assert video.stat().st_mode & 0o777 == 0o666 & ~umask            # a normal file, not mkstemp's private 0600


@pytest.mark.parametrize("frame_start,offset,silence,expected", [
    (-4, 0.5, 0.7, 0.2),    # negative frame numbers; skip 0.5 s of the file, so the tone starts 0.2 s in
    (0, -0.3, 0.0, 0.3),    # negative offset: the audio starts 0.3 s after the first frame
])
def test_audio_follows_the_offset(toned_take, tmp_path, frame_start, offset, silence, expected):
    take = toned_take(frames=20, frame_start=frame_start, silence=silence, offset=offset)
    video = tmp_path / "v.mp4"
    render_take(RenderJob(take=take, out=tmp_path / "o", size=32, video=video), Progress("none"))
    assert abs(tone_onset(video) - expected) <= 1 / FPS
    assert abs(probe(video)[0] - 20 / FPS) <= 1 / FPS


def test_a_frame_subset_starts_the_audio_at_that_frame(toned_take, tmp_path):
    take_dir = toned_take(frames=20, frame_start=100, silence=0.0, offset=0.0)
    take = load_take(take_dir)
    part = encode_command(take, take_dir, range(110, 120), Path("x.mp4"), 18)
    assert part[part.index("-ss") + 1] == "0.400000"  # 10 frames at 25 fps into the audio
    assert part[part.index("-t") + 1] == "0.400000"
    assert all(isinstance(arg, str) for arg in part)  # an argument list, never a shell string


def test_video_needs_every_frame(make_take, tmp_path):
    take_dir = make_take(frames=3)
    (tmp_path / "frames").mkdir()
    with pytest.raises(RenderError, match="frame 0 is missing"):
        encode_video(load_take(take_dir), take_dir, tmp_path / "frames", range(0, 3), tmp_path / "v.mp4", 18)
    assert not (tmp_path / "v.mp4").exists()


def test_odd_size_with_video_is_refused_before_rendering(make_take, tmp_path):
    take = make_take(frames=3)
    with pytest.raises(RenderError, match="H.264 video needs an even size"):
        render_take(RenderJob(take=take, out=tmp_path / "o", size=63, video=tmp_path / "v.mp4"), Progress("none"))
    assert not (tmp_path / "o").exists()
