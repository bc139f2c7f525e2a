"""Frames + the Take's audio -> an H.264/AAC mp4, with the bundled ffmpeg (argument lists only)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from realtalk_core.schema import Take, audio_path

from .errors import RenderError
from .frames import FRAME_PATTERN, frame_path


def ffmpeg_exe() -> str:
    import imageio_ffmpeg
    return imageio_ffmpeg.get_ffmpeg_exe()


def encode_command(take: Take, take_dir: Path, frames_dir: Path, frames: range, target: Path,
                   crf: int) -> list[str]:
    """The ffmpeg argument list: frames at the Take's fps, its audio aligned to the first frame."""
    fps = f"{take.fps:g}"
    command = [ffmpeg_exe(), "-nostdin", "-y", "-loglevel", "error",
               "-framerate", fps, "-start_number", str(frames.start), "-i", str(frames_dir / FRAME_PATTERN)]
    if take.audio is not None:
        # Position in the audio file that plays at the first rendered frame.
        start = take.audio.offset + (frames.start - take.frame_start) / take.fps
        if start >= 0:
            command += ["-ss", f"{start:.6f}"]
        else:
            command += ["-itsoffset", f"{-start:.6f}"]
        command += ["-i", str(audio_path(take_dir, take.audio)), "-map", "0:v:0", "-map", "1:a:0",
                    "-c:a", "aac", "-b:a", "192k"]
    command += ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", str(crf), "-r", fps,
                "-t", f"{len(frames) / take.fps:.6f}", "-movflags", "+faststart", "-f", "mp4", str(target)]
    return command


def encode_video(take: Take, take_dir: Path, frames_dir: Path, frames: range, target: Path, crf: int) -> Path:
    """Encode to a temporary file beside ``target``, then rename it into place."""
    missing = [n for n in frames if not frame_path(frames_dir, n).is_file()]
    if missing:
        raise RenderError(f"{frames_dir}: frame {missing[0]} is missing ({len(missing)} in all); render them first")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.partial")
    try:
        result = subprocess.run(encode_command(take, take_dir, frames_dir, frames, temporary, crf),
                                capture_output=True, text=True, timeout=3600, check=False)
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
            raise RenderError(f"{target}: ffmpeg failed: {last}")
        os.replace(temporary, target)
    except OSError as err:
        raise RenderError(f"{target}: cannot write the video ({err.strerror})") from None
    finally:
        if temporary.exists():
            temporary.unlink()
    return target
