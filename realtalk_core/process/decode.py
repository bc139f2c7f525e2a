"""Frames of a video resampled to a constant frame rate (variable-rate sources included)."""

from __future__ import annotations

import subprocess
import tempfile
from typing import Iterator

import numpy as np

from .errors import ProcessError
from .probe import VideoInfo, _first_line


def scaled_size(info: VideoInfo, max_side: int | None) -> tuple[int, int]:
    """(width, height) after shrinking so the long side is at most ``max_side`` (even numbers)."""
    if not max_side or max(info.width, info.height) <= max_side:
        return info.width, info.height
    scale = max_side / max(info.width, info.height)
    return max(2, int(round(info.width * scale / 2)) * 2), max(2, int(round(info.height * scale / 2)) * 2)


def decode_frames(info: VideoInfo, fps: float, max_side: int | None = None) -> Iterator[np.ndarray]:
    """Yield (H, W, 3) uint8 RGB frames at exactly ``fps`` (ffmpeg's fps filter picks the frame shown at each tick)."""
    import imageio_ffmpeg

    width, height = scaled_size(info, max_side)
    filters = f"fps={fps:g}"
    if (width, height) != (info.width, info.height):
        filters += f",scale={width}:{height}:flags=area"
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", "-i", str(info.path), "-an", "-sn",
               "-vf", filters, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    frame_bytes = width * height * 3
    with tempfile.TemporaryFile() as errors, subprocess.Popen(command, stdout=subprocess.PIPE,
                                                              stderr=errors) as process:
        try:
            while True:
                raw = process.stdout.read(frame_bytes)
                if len(raw) < frame_bytes:
                    break
                yield np.frombuffer(raw, np.uint8).reshape(height, width, 3)
        finally:
            process.stdout.close()
            if process.poll() is None:
                process.kill()
            code = process.wait()
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace")
    if code not in (0, -9) and message.strip():               # -9: we stopped it early
        raise ProcessError(f"{info.path}: decoding failed ({_first_line(message)}); the file may be corrupt or "
                           "truncated: re-export or re-copy it")


def count_frames(info: VideoInfo, fps: float) -> int:
    """The number of frames :func:`decode_frames` will give (from the stated duration; decoding has the last word)."""
    return max(1, int(round(info.duration * fps)))
