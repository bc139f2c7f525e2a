"""Live Link Face CSV: the capture layout of Epic's Live Link Face iOS app, written and read.

One header line, then one line per frame::

    Timecode,BlendShapeCount,EyeBlinkLeft,EyeLookDownLeft,...,TongueOut,HeadYaw,HeadPitch,HeadRoll,LeftEyeYaw,...
    00:00:01:05.000,61,0.01234567,0.00000000,...

* ``Timecode`` is ``HH:MM:SS:FF.mmm``: ``FF`` counts frames within the second at the nominal
  rate ``round(fps)`` (non-drop-frame for 29.97 and the like), ``.mmm`` is the sub-frame fraction
  in thousandths (always ``.000`` here; the app writes a sub-frame value there).
* ``BlendShapeCount`` is 61: the 52 ARKit blendshapes and 9 rotations.
* The blendshape columns are the ARKit names with the first letter upper-cased, in the app's
  order, which is not ``ARKIT_BLENDSHAPE_NAMES`` order (``JawRight`` comes before ``JawLeft``,
  ``MouthRight`` before ``MouthLeft``). Columns are always matched by name.
* ``HeadYaw, HeadPitch, HeadRoll`` are radians from the rotation of the Take's ``head_pose``,
  decomposed as ``R = Rz(roll) @ Ry(yaw) @ Rx(pitch)`` in the Take's frame (+x the subject's left,
  +y up, +z towards the camera), as ``synth.idle.euler_matrix`` builds it: positive yaw turns the
  nose to the subject's left (image right), positive pitch tips the nose down, positive roll tilts
  the top of the head to the subject's right. A head facing the camera is 0, 0, 0. Without a head
  pose all three are 0. Signs may need flipping for a consumer that reads the app's own convention.
* The six eye angles are written as 0: a Take has no eyeball rotations, and gaze is already carried
  by the ``eyeLook*`` blendshapes, which is what MetaHuman-style rigs read.

Numpy and the standard library only.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import NamedTuple, NoReturn

import numpy as np

from .channels import ARKIT_BLENDSHAPE_NAMES, channel_index
from .errors import RealtalkError
from .fileio import atomic_write

#: Live Link Face's 52 blendshape columns, in the app's column order.
LIVE_LINK_FACE_BLENDSHAPES: tuple[str, ...] = (
    "EyeBlinkLeft", "EyeLookDownLeft", "EyeLookInLeft", "EyeLookOutLeft", "EyeLookUpLeft",
    "EyeSquintLeft", "EyeWideLeft",
    "EyeBlinkRight", "EyeLookDownRight", "EyeLookInRight", "EyeLookOutRight", "EyeLookUpRight",
    "EyeSquintRight", "EyeWideRight",
    "JawForward", "JawRight", "JawLeft", "JawOpen",
    "MouthClose", "MouthFunnel", "MouthPucker", "MouthRight", "MouthLeft",
    "MouthSmileLeft", "MouthSmileRight", "MouthFrownLeft", "MouthFrownRight",
    "MouthDimpleLeft", "MouthDimpleRight", "MouthStretchLeft", "MouthStretchRight",
    "MouthRollLower", "MouthRollUpper", "MouthShrugLower", "MouthShrugUpper",
    "MouthPressLeft", "MouthPressRight", "MouthLowerDownLeft", "MouthLowerDownRight",
    "MouthUpperUpLeft", "MouthUpperUpRight",
    "BrowDownLeft", "BrowDownRight", "BrowInnerUp", "BrowOuterUpLeft", "BrowOuterUpRight",
    "CheekPuff", "CheekSquintLeft", "CheekSquintRight",
    "NoseSneerLeft", "NoseSneerRight",
    "TongueOut",
)
HEAD_COLUMNS: tuple[str, ...] = ("HeadYaw", "HeadPitch", "HeadRoll")
EYE_COLUMNS: tuple[str, ...] = ("LeftEyeYaw", "LeftEyePitch", "LeftEyeRoll",
                                "RightEyeYaw", "RightEyePitch", "RightEyeRoll")
#: The full header, in order.
HEADER: tuple[str, ...] = ("Timecode", "BlendShapeCount", *LIVE_LINK_FACE_BLENDSHAPES, *HEAD_COLUMNS, *EYE_COLUMNS)
#: The value of every row's BlendShapeCount cell.
BLENDSHAPE_COUNT = len(LIVE_LINK_FACE_BLENDSHAPES) + len(HEAD_COLUMNS) + len(EYE_COLUMNS)   # 61

#: Column k of the app's blendshapes is ARKit channel ``_TO_ARKIT[k]``; built by name, so a
#: misspelt column fails here, at import.
_TO_ARKIT = channel_index(ARKIT_BLENDSHAPE_NAMES, [c[0].lower() + c[1:] for c in LIVE_LINK_FACE_BLENDSHAPES])
_TIMECODE = re.compile(r"^(\d+):(\d\d):(\d\d):(\d+)(?:\.\d+)?$")
_DECIMALS = 8


class ArkitCsvError(RealtalkError):
    """A Live Link Face CSV cannot be written or read; the message names the file and the fix."""


class ArkitCsv(NamedTuple):
    """What :func:`read_arkit_csv` returns."""

    names: tuple[str, ...]    #: ARKIT_BLENDSHAPE_NAMES: the column order of ``values``
    values: np.ndarray        #: (T, 52) float32 blendshape weights, as found in the file
    fps: float | None         #: the frame rate the timecodes imply, or None when they cannot tell


def _fail(path: Path, problem: str) -> NoReturn:
    raise ArkitCsvError(f"{path}: {problem}")


def timecode(frame: int, fps: float) -> str:
    """``HH:MM:SS:FF.000`` of a frame number; FF counts frames within the second at ``round(fps)``."""
    nominal = max(1, round(fps))
    seconds, ff = divmod(int(frame), nominal)
    minutes, ss = divmod(seconds, 60)
    hh, mm = divmod(minutes, 60)
    return f"{hh:02d}:{mm:02d}:{ss:02d}:{ff:02d}.000"


def head_angles(rotations: np.ndarray) -> np.ndarray:
    """(T, 3, 3) rotations -> (T, 3) radians (yaw, pitch, roll) with R = Rz(roll) Ry(yaw) Rx(pitch)."""
    r = np.asarray(rotations, dtype=np.float64)
    yaw = np.arctan2(-r[:, 2, 0], np.hypot(r[:, 2, 1], r[:, 2, 2]))
    pitch = np.arctan2(r[:, 2, 1], r[:, 2, 2])
    roll = np.arctan2(r[:, 1, 0], r[:, 0, 0])
    return np.stack([yaw, pitch, roll], axis=1)


def write_arkit_csv(path: str | os.PathLike[str], blendshapes: np.ndarray, fps: float,
                    head_pose: np.ndarray | None = None, frame_start: int = 0) -> Path:
    """Write (T, 52) blendshapes (ARKIT_BLENDSHAPE_NAMES order) and optional (T, 4, 4) head poses
    as a Live Link Face CSV, atomically. Row ``i`` carries the timecode of frame ``frame_start + i``."""
    path = Path(path)
    shapes = np.asarray(blendshapes, dtype=np.float64)                                 # (T, 52)
    if shapes.ndim != 2 or shapes.shape[1] != len(ARKIT_BLENDSHAPE_NAMES):
        _fail(path, f"blendshapes have shape {shapes.shape}; pass (T, 52) in ARKIT_BLENDSHAPE_NAMES order")
    if not np.isfinite(shapes).all():
        _fail(path, f"blendshapes hold NaN or infinity at frame {int(np.argmax(~np.isfinite(shapes).all(1)))}")
    try:
        rate = float(fps)
    except (TypeError, ValueError):
        rate = float("nan")
    if not (np.isfinite(rate) and rate > 0):
        _fail(path, f"fps {fps!r} must be a positive number")
    if int(frame_start) != frame_start or frame_start < 0:
        _fail(path, f"frame_start {frame_start!r} must be a whole number >= 0; timecodes cannot be negative")
    frames = len(shapes)
    head = np.zeros((frames, len(HEAD_COLUMNS)))                                       # (T, 3)
    if head_pose is not None:
        pose = np.asarray(head_pose, dtype=np.float64)                                 # (T, 4, 4)
        if pose.shape != (frames, 4, 4):
            _fail(path, f"head_pose has shape {pose.shape}; pass ({frames}, 4, 4), one pose per blendshape row")
        if not np.isfinite(pose).all():
            _fail(path, "head_pose holds NaN or infinity; fix the Take's head pose")
        head = head_angles(pose[:, :3, :3])
    table = np.concatenate([shapes[:, _TO_ARKIT], head, np.zeros((frames, len(EYE_COLUMNS)))], axis=1)
    table = np.round(table, _DECIMALS) + 0.0                                            # (T, 61); no "-0.0"
    lines = [",".join(HEADER)]
    for i, row in enumerate(table):
        cells = ",".join(f"{value:.{_DECIMALS}f}" for value in row)
        lines.append(f"{timecode(int(frame_start) + i, rate)},{BLENDSHAPE_COUNT},{cells}")
    with atomic_write(path, "wb") as handle:
        handle.write(("\n".join(lines) + "\n").encode("ascii"))
    return path


def read_arkit_csv(path: str | os.PathLike[str]) -> ArkitCsv:
    """Read a Live Link Face CSV (ours or the app's): blendshape columns found by name, any case."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        _fail(path, "no such file; check the path")
    except UnicodeDecodeError:
        _fail(path, "is not UTF-8 text; is it really a Live Link Face CSV?")
    except OSError as err:
        _fail(path, f"cannot be read ({err.strerror or err}); check the path and permissions")
    try:
        reader = csv.reader(io.StringIO(text))
        rows = [(reader.line_num, [cell.strip() for cell in row]) for row in reader]
    except csv.Error as err:
        _fail(path, f"not a readable CSV file ({err})")
    rows = [(line, row) for line, row in rows if any(row)]
    if not rows:
        _fail(path, "empty file; a Live Link Face CSV starts with the header Timecode,BlendShapeCount,...")
    header = [cell.lower() for cell in rows[0][1]]
    for name in LIVE_LINK_FACE_BLENDSHAPES:
        if name.lower() not in header:
            _fail(path, f"column {name!r} is missing; a Live Link Face CSV has all 52 ARKit columns "
                        f"({LIVE_LINK_FACE_BLENDSHAPES[0]} ... {LIVE_LINK_FACE_BLENDSHAPES[-1]})")
        if header.count(name.lower()) > 1:
            _fail(path, f"column {name!r} appears twice; keep one")
    columns = [header.index(name.lower()) for name in LIVE_LINK_FACE_BLENDSHAPES]
    values = np.empty((len(rows) - 1, len(columns)))                                   # (T, 52) app order
    for t, (line, row) in enumerate(rows[1:]):
        if len(row) < len(header):
            _fail(path, f"line {line} has {len(row)} cells but the header has {len(header)}; is the file cut short?")
        for k, column in enumerate(columns):
            try:
                values[t, k] = float(row[column])
            except ValueError:
                _fail(path, f"line {line}, column {LIVE_LINK_FACE_BLENDSHAPES[k]!r}: {row[column]!r} is not a number")
            if not np.isfinite(values[t, k]):
                _fail(path, f"line {line}, column {LIVE_LINK_FACE_BLENDSHAPES[k]!r}: {row[column]!r} is not finite")
    out = np.empty_like(values, dtype=np.float32)
    out[:, _TO_ARKIT] = values
    stamps = [row[header.index("timecode")] for _, row in rows[1:]] if "timecode" in header else []
    return ArkitCsv(ARKIT_BLENDSHAPE_NAMES, out, _guess_fps(stamps))


def _guess_fps(stamps: list[str]) -> float | None:
    """The nominal rate (highest FF + 1) when the timecodes span a second boundary, else None."""
    parsed = [_TIMECODE.match(stamp) for stamp in stamps]
    if not parsed or not all(parsed):
        return None
    seconds = {tuple(int(g) for g in m.groups()[:3]) for m in parsed if m}
    if len(seconds) < 2:
        return None
    return float(max(int(m.group(4)) for m in parsed if m) + 1)
