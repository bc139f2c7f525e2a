"""What is in a video file, checked before any work starts: size, frame rate, duration, audio."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import ProcessError

#: Shortest clip worth a dataset, in seconds.
MIN_SECONDS = 3.0


@dataclass(frozen=True)
class VideoInfo:
    """The facts ``ffmpeg`` reports about one video file."""

    path: Path
    width: int
    height: int
    fps: float          #: nominal frame rate (the stream may be variable)
    duration: float     #: seconds, as the container states it
    codec: str
    has_audio: bool

    def to_json(self) -> dict:
        return {"name": self.path.name, "width": self.width, "height": self.height, "fps": round(self.fps, 4),
                "duration": round(self.duration, 4), "codec": self.codec, "has_audio": self.has_audio}


def check_readable(path: Path) -> None:
    """Fail with one line if ``path`` is not a readable file."""
    if not path.exists():
        raise ProcessError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise ProcessError(f"{path}: is a folder, not a video file; give the path of a video")
    if not os.access(path, os.R_OK):
        raise ProcessError(f"{path}: cannot be read (permission denied); fix its permissions or copy it somewhere readable")
    if path.stat().st_size == 0:
        raise ProcessError(f"{path}: the file is empty; re-export or re-copy the video")


def probe(path: Path, min_seconds: float = MIN_SECONDS) -> VideoInfo:
    """Read the container header with the project's ffmpeg; corrupt, truncated or too-short files fail here."""
    import imageio_ffmpeg

    path = Path(path)
    check_readable(path)
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
                            capture_output=True, check=False)
    text = result.stderr.decode("utf-8", "replace")
    video = _VIDEO.search(text)
    if video is None:
        if "Stream #" in text and "Audio:" in text:
            raise ProcessError(f"{path}: no video stream found; give a video file, not audio or an image")
        raise ProcessError(f"{path}: not a readable video ({_first_line(text)}); the file may be corrupt or "
                           "truncated: re-export or re-copy it")
    size = re.search(r"\b(\d{2,5})x(\d{2,5})\b", video.group(0))
    fps = re.search(r"([\d.]+) (?:fps|tbr)", video.group(0))
    duration = _DURATION.search(text)
    width, height = (int(size.group(1)), int(size.group(2))) if size else (0, 0)
    seconds = (int(duration.group(1)) * 3600 + int(duration.group(2)) * 60 + float(duration.group(3))
               if duration else 0.0)
    if width <= 0 or height <= 0 or not fps:
        raise ProcessError(f"{path}: the video stream cannot be read (no frame size or rate); re-export the file")
    if seconds < min_seconds:
        raise ProcessError(f"{path}: the clip is {seconds:.2f} s long; at least {min_seconds:g} s of video is "
                           "needed for a dataset: use a longer recording")
    codec = re.search(r"Video: (\w+)", video.group(0))
    return VideoInfo(path=path, width=width, height=height, fps=float(fps.group(1)), duration=seconds,
                     codec=codec.group(1) if codec else "?", has_audio=bool(re.search(r"Stream #.*Audio:", text)))


_VIDEO = re.compile(r"Stream #\S+.*Video: .*")
_DURATION = re.compile(r"Duration: (\d+):(\d+):([\d.]+)")


def _first_line(err: BaseException | str) -> str:
    """The most telling line of an ffmpeg error (ffmpeg dumps its whole banner)."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()
             and "output file" not in line.lower()]
    for line in reversed(lines):
        lowered = line.lower()
        if any(word in lowered for word in ("invalid", "error", "not found", "moov", "truncat", "corrupt")):
            return line[:160]
    return (lines[-1] if lines else type(err).__name__)[:160]
