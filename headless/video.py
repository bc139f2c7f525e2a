"""Frames + the Take's audio -> an H.264/AAC mp4, with the bundled ffmpeg (argument lists only).

The PNG frames are streamed to ffmpeg's stdin in frame order, so any frame numbers work
(negative ``frame_start`` included) and the encode reports progress per frame. The audio
is aligned sample-accurately: a positive start skips into the file (``-ss``), a negative
one delays it with silence (``adelay``). It is resampled to 48 kHz, whose 21 ms AAC
packets keep the mp4's length within one frame of the Take's.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from realtalk_core.schema import Take, audio_path
from realtalk_core.schema.fileio import file_mode_for

from .errors import RenderError
from .frames import frame_path

#: AAC sample rate of the mp4; 1024-sample packets are 21.3 ms long at 48 kHz.
AUDIO_RATE = 48_000
AUDIO_BITRATE = "192k"


def ffmpeg_exe() -> str:
    """The ffmpeg binary that ships with imageio-ffmpeg; raises RenderError if it is unavailable."""
    try:
        import imageio_ffmpeg
        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as err:
        raise RenderError(f"ffmpeg is not available ({err}); install the media extra: "
                          "pip install 'realtalk[media]'") from None


def audio_start(take: Take, frames: range) -> float:
    """Seconds into the audio file that play at the first rendered frame (negative: silence first)."""
    assert take.audio is not None
    return take.audio.offset + (frames.start - take.frame_start) / take.fps


def encode_command(take: Take, take_dir: Path, frames: range, target: Path, crf: int) -> list[str]:
    """The ffmpeg argument list: PNGs on stdin at the Take's fps, its audio aligned to the first frame."""
    fps = f"{take.fps:g}"
    command = [ffmpeg_exe(), "-y", "-hide_banner", "-loglevel", "error",
               "-f", "image2pipe", "-framerate", fps, "-c:v", "png", "-i", "-"]
    if take.audio is not None:
        start = audio_start(take, frames)
        if start > 0:
            command += ["-ss", f"{start:.6f}"]
        command += ["-i", str(audio_path(take_dir, take.audio)), "-map", "0:v:0", "-map", "1:a:0"]
        # Resample first: adelay followed by ffmpeg's own resampler loses part of the delay (ffmpeg 9).
        filters = [f"aresample={AUDIO_RATE}"]
        if start < 0:
            filters.append(f"adelay=delays={round(-start * AUDIO_RATE)}S:all=1")   # silence first
        filters.append("apad")                                       # silence after a short file
        command += ["-af", ",".join(filters), "-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ar", str(AUDIO_RATE)]
    command += ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", str(crf),
                "-t", f"{len(frames) / take.fps:.6f}", "-movflags", "+faststart", "-f", "mp4", str(target)]
    return command


def _temporary_beside(target: Path) -> Path:
    """A fresh, empty file in ``target``'s folder for ffmpeg to write, renamed over ``target`` at the end."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    return Path(name)


def _pipe_frames(process: subprocess.Popen, paths: Sequence[Path], on_frame: Callable[[], None]) -> None:
    assert process.stdin is not None
    try:
        for path in paths:
            process.stdin.write(path.read_bytes())
            on_frame()
        process.stdin.close()
    except BrokenPipeError:
        pass  # ffmpeg stopped early; its exit code and message tell why


def encode_video(take: Take, take_dir: Path, frames_dir: Path, frames: range, target: Path, crf: int,
                 on_frame: Callable[[], None] = lambda: None) -> Path:
    """Encode ``frames_dir``'s PNGs of ``frames`` into ``target`` atomically; ``on_frame`` after each frame."""
    paths = [frame_path(frames_dir, number) for number in frames]
    missing = [number for number, path in zip(frames, paths, strict=True) if not path.is_file()]
    if missing:
        raise RenderError(f"{frames_dir}: frame {missing[0]} is missing ({len(missing)} in all); render them first")
    command_target = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        command_target = _temporary_beside(target)
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(encode_command(take, take_dir, frames, command_target, crf),
                                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log)
            try:
                _pipe_frames(process, paths, on_frame)
            except BaseException:
                process.kill()  # Ctrl-C or a frame that cannot be read: stop ffmpeg, keep nothing
                process.wait()
                raise
            code = process.wait()
            log.seek(0)
            message = log.read().decode("utf-8", "replace").strip().splitlines()
        if code != 0:
            raise RenderError(f"{target}: ffmpeg failed: {message[-1] if message else f'exit code {code}'}")
        os.chmod(command_target, file_mode_for(target))   # mkstemp made it private; give it a normal file's mode
        os.replace(command_target, target)
    except OSError as err:
        raise RenderError(f"{target}: cannot write the video ({err.strerror or err})") from None
    finally:
        if command_target is not None and command_target.exists():
            command_target.unlink()
    return target
