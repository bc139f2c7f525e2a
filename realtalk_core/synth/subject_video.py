"""The synthetic subject as plain media: an mp4 with its audio, and a MEAD-like tree of clips.

``realtalk process`` can then be run on the plain video and checked against the exact ground
truth, and ``realtalk process mead`` can read the clip tree::

    mead/<speaker>/video/front/<emotion>/level_<n>/<nnn>.mp4
    mead/<speaker>/audio/<emotion>/level_<n>/<nnn>.m4a

(MEAD spells two emotions ``disgusted`` and ``surprised``; so does this tree.) The bundled
ffmpeg is called with argument lists; every file is written beside its target and renamed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Sequence

from ..schema.errors import RealtalkError
from .timeline import Clip

SPEAKER = "SYN001"
MEAD_EMOTION = {"disgust": "disgusted", "surprise": "surprised"}


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _run(command: Sequence[str], target: Path) -> None:
    temporary = target.with_name(f".{target.stem}.partial{target.suffix}")
    result = subprocess.run([*command, str(temporary)], capture_output=True, text=True, check=False)
    if result.returncode != 0 or not temporary.is_file():
        temporary.unlink(missing_ok=True)
        lines = result.stderr.strip().splitlines() or ["no output"]
        raise RealtalkError(f"{target}: ffmpeg failed ({lines[-1][:160]}); check free disk space and run again")
    os.replace(temporary, target)


def encode_mp4(frames_dir: Path, wav: Path, target: Path, fps: float, start: int = 0, count: int | None = None,
               crf: int = 18) -> Path:
    """PNG frames ``%06d.png`` from ``start`` (``count`` of them) plus the matching audio -> H.264/AAC mp4."""
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [_ffmpeg(), "-nostdin", "-v", "error", "-y", "-framerate", f"{fps:g}", "-start_number", str(start),
               "-i", str(frames_dir / "%06d.png"), "-ss", f"{start / fps:.6f}", "-i", str(wav)]
    if count is not None:
        command += ["-frames:v", str(count), "-t", f"{count / fps:.6f}"]
    command += ["-map", "0:v:0", "-map", "1:a:0", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", str(crf),
                "-preset", "veryfast", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4"]
    _run(command, target)
    return target


def encode_m4a(wav: Path, target: Path, start: float, seconds: float) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    _run([_ffmpeg(), "-nostdin", "-v", "error", "-y", "-ss", f"{start:.6f}", "-t", f"{seconds:.6f}", "-i", str(wav),
          "-vn", "-c:a", "aac", "-b:a", "128k", "-f", "ipod"], target)
    return target


def clip_frames(clip: Clip, clips: Sequence[Clip], fps: float, frames: int) -> tuple[int, int]:
    """(first frame, count) of a clip: its speech plus half of the pauses around it."""
    index = clip.index
    begin = 0.0 if index == 0 else 0.5 * (clips[index - 1].end + clip.start)
    end = frames / fps if index == len(clips) - 1 else 0.5 * (clip.end + clips[index + 1].start)
    first = int(round(begin * fps))
    last = min(frames, int(round(end * fps)))
    return first, max(1, last - first)


def write_mead_tree(root: Path, frames_dir: Path, wav: Path, clips: Sequence[Clip], fps: float, frames: int) -> list[Path]:
    """Cut the recording into per-utterance clips in MEAD's layout; returns the videos written."""
    numbers: dict[tuple[str, int], int] = {}
    written = []
    for clip in clips:
        emotion = MEAD_EMOTION.get(clip.emotion, clip.emotion)
        level = max(1, clip.level)
        key = (emotion, level)
        numbers[key] = numbers.get(key, 0) + 1
        name = f"{numbers[key]:03d}"
        first, count = clip_frames(clip, clips, fps, frames)
        video = root / SPEAKER / "video" / "front" / emotion / f"level_{level}" / f"{name}.mp4"
        audio = root / SPEAKER / "audio" / emotion / f"level_{level}" / f"{name}.m4a"
        if not video.is_file():
            encode_mp4(frames_dir, wav, video, fps, start=first, count=count)
        if not audio.is_file():
            encode_m4a(wav, audio, first / fps, count / fps)
        written.append(video)
    return written
