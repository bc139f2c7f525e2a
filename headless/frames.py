"""Frame ranges and atomic frame files for the renderer."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import cv2
import numpy as np

from realtalk_core.schema import Take, atomic_write

from .errors import RenderError

FRAME_PATTERN = "%06d.png"
_RANGE = re.compile(r"^\s*(-?\d+)\s*(?:-\s*(-?\d+))?\s*$")


def take_frame_range(take: Take) -> range:
    """The Take's own frame numbers."""
    return range(take.frame_start, take.frame_start + take.frame_count)


def parse_frames(text: str | None, take: Take) -> range:
    """``"A-B"`` (inclusive, the Take's frame numbers) or ``"N"`` -> a range inside the Take."""
    full = take_frame_range(take)
    if text is None:
        return full
    match = _RANGE.match(text)
    if not match:
        raise RenderError(f"--frames {text!r}: expected A-B or N, e.g. --frames {full.start}-{full.stop - 1}")
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) is not None else first
    if last < first:
        raise RenderError(f"--frames {text}: the range ends before it starts")
    if first < full.start or last > full.stop - 1:
        raise RenderError(f"--frames {text}: outside the take's frames {full.start}-{full.stop - 1}")
    return range(first, last + 1)


def frame_path(folder: Path, number: int) -> Path:
    return folder / (FRAME_PATTERN % number)


def write_png(path: Path, image: np.ndarray) -> str:
    """Encode an (H, W, 3) RGB or (H, W, 4) RGBA uint8 image and write it atomically (temporary file, then
    rename); returns the sha256 of the bytes written."""
    bgr = image[:, :, [2, 1, 0, 3]] if image.shape[-1] == 4 else image[:, :, ::-1]
    ok, data = cv2.imencode(".png", np.ascontiguousarray(bgr))
    if not ok:
        raise RenderError(f"{path}: PNG encoding failed")
    payload = data.tobytes()
    with atomic_write(path) as handle:
        handle.write(payload)
    return hashlib.sha256(payload).hexdigest()


def write_frame(folder: Path, number: int, image: np.ndarray) -> str:
    """Write frame ``number`` into ``folder`` atomically and return its sha256; a full or read-only disk is one
    RenderError line."""
    try:
        return write_png(frame_path(folder, number), image)
    except OSError as err:
        raise RenderError(f"{folder}: cannot write frame {number} ({err.strerror or err}); free some space or "
                          "choose another --out, then run again to resume") from None


def ensure_writable(folder: Path, option: str = "--out") -> Path:
    """Create ``folder`` if needed and prove it is writable; raise RenderError naming ``option`` otherwise."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".realtalk-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise RenderError(f"{folder}: cannot write here ({err.strerror}); choose another {option}") from None
    return folder
