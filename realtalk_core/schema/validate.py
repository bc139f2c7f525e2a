"""Validation of a Take's header (take.json) and tracks (tracks.npz).

Each check raises :class:`TakeError` naming the file and the field, with a fix where
there is one. Numpy and the standard library only.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from .channels import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES, LANDMARK_TOPOLOGY
from .errors import TakeError
from .fileio import resolve_inside
from .take import (COORDINATE_FRAME, MAX_FPS, MAX_FRAMES, SCHEMA_VERSION, TRACK_SHAPES,
                   AudioRef, SubjectRef, Tracks)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
HEADER_KEYS = frozenset({
    "schema_version", "fps", "frame_start", "frame_count", "audio", "subject", "emotion_names",
    "blendshape_names", "landmark_topology", "coordinate_frame", "provenance",
})
#: Tolerances of the numeric checks.
EMOTION_SUM_TOL = 1e-3
RANGE_TOL = 1e-6
RIGID_TOL = 1e-3
MAX_TRANSLATION_M = 1000.0


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _names_problem(found: Any, expected: tuple[str, ...]) -> str | None:
    if not isinstance(found, list) or not all(isinstance(n, str) for n in found):
        return "must be a list of names"
    if tuple(found) == expected:
        return None
    missing = [n for n in expected if n not in found]
    unknown = [n for n in found if n not in expected]
    if missing or unknown:
        return f"missing {missing[:5]}, unknown {unknown[:5]}"
    return "the right names in the wrong order; channels are addressed in the schema's fixed order"


def validate_header(header: Any, path: Path) -> dict[str, Any]:
    """Check take.json's content; return it unchanged. ``path`` is the take.json file."""
    if not isinstance(header, dict):
        raise TakeError(path, None, "must hold a JSON object")
    version = header.get("schema_version")
    if not _is_int(version):
        raise TakeError(path, "schema_version", "missing or not an integer")
    if version > SCHEMA_VERSION:
        raise TakeError(path, "schema_version",
                        f"is {version}, newer than this RealTalk understands ({SCHEMA_VERSION}); upgrade realtalk")
    if version < SCHEMA_VERSION:
        raise TakeError(path, "schema_version", f"is {version}; this RealTalk reads version {SCHEMA_VERSION}")
    missing = sorted(HEADER_KEYS - header.keys())
    if missing:
        raise TakeError(path, missing[0], "missing")
    extra = sorted(header.keys() - HEADER_KEYS)
    if extra:
        raise TakeError(path, extra[0], "unknown field; remove it (tool data belongs under 'provenance')")

    fps = header["fps"]
    if not _is_number(fps) or not 0 < fps <= MAX_FPS:
        raise TakeError(path, "fps", f"must be a number in (0, {MAX_FPS:g}], got {fps!r}")
    if not _is_int(header["frame_start"]) or abs(header["frame_start"]) > 10_000_000:
        raise TakeError(path, "frame_start", f"must be an integer frame number, got {header['frame_start']!r}")
    count = header["frame_count"]
    if not _is_int(count) or not 1 <= count <= MAX_FRAMES:
        raise TakeError(path, "frame_count", f"must be an integer in [1, {MAX_FRAMES}], got {count!r}")

    for key, expected in (("emotion_names", EMOTION_NAMES), ("blendshape_names", ARKIT_BLENDSHAPE_NAMES)):
        problem = _names_problem(header[key], expected)
        if problem:
            raise TakeError(path, key, problem)
    if header["landmark_topology"] != LANDMARK_TOPOLOGY:
        raise TakeError(path, "landmark_topology",
                        f"is {header['landmark_topology']!r}; only {LANDMARK_TOPOLOGY!r} is supported")
    if header["coordinate_frame"] != dict(COORDINATE_FRAME):
        raise TakeError(path, "coordinate_frame",
                        f"must be {dict(COORDINATE_FRAME)} (metres, head space; see README 'The Take')")
    if not isinstance(header["provenance"], dict):
        raise TakeError(path, "provenance", "must be an object")
    parse_audio(header["audio"], path)
    parse_subject(header["subject"], path)
    return header


def parse_audio(value: Any, path: Path) -> AudioRef | None:
    """The ``audio`` field as an AudioRef (None when the Take has no audio)."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"path", "sample_rate", "sha256", "offset"}:
        raise TakeError(path, "audio", "must be null or an object with path, sample_rate, sha256, offset")
    try:
        resolve_inside(path.parent, value["path"])
    except ValueError as err:
        raise TakeError(path, "audio.path", f"{err}; copy the audio into the take folder") from None
    rate = value["sample_rate"]
    if not _is_int(rate) or not 4000 <= rate <= 384_000:
        raise TakeError(path, "audio.sample_rate", f"must be an integer in [4000, 384000] Hz, got {rate!r}")
    if not isinstance(value["sha256"], str) or not _SHA256.match(value["sha256"]):
        raise TakeError(path, "audio.sha256", "must be 64 lowercase hex digits")
    if not _is_number(value["offset"]):
        raise TakeError(path, "audio.offset", f"must be a finite number of seconds, got {value['offset']!r}")
    return AudioRef(value["path"], rate, value["sha256"], float(value["offset"]))


def parse_subject(value: Any, path: Path) -> SubjectRef | None:
    """The ``subject`` field as a SubjectRef (None when the Take names no subject)."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"name", "sha256"}:
        raise TakeError(path, "subject", "must be null or an object with name and sha256")
    name, digest = value["name"], value["sha256"]
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise TakeError(path, "subject.name", "must be a non-empty name")
    if digest is not None and (not isinstance(digest, str) or not _SHA256.match(digest)):
        raise TakeError(path, "subject.sha256", "must be null or 64 lowercase hex digits")
    return SubjectRef(name, digest)


def _first_bad_frame(mask: np.ndarray) -> int:
    """Frame index of the first True in a boolean array whose axis 0 is time."""
    return int(np.argwhere(mask)[0][0])


def validate_tracks(tracks: Tracks, frame_count: int, path: Path) -> Tracks:
    """Check shapes, dtypes, finiteness and ranges; ``path`` is the tracks.npz file."""
    for name, tail in TRACK_SHAPES.items():
        array = getattr(tracks, name)
        if not isinstance(array, np.ndarray) or array.dtype != np.float32:
            raise TakeError(path, name, f"must be a float32 array, got {getattr(array, 'dtype', type(array))}")
        if array.shape != (frame_count, *tail):
            raise TakeError(path, name, f"shape {array.shape} does not match {(frame_count, *tail)} "
                                        f"(frame_count in take.json is {frame_count})")
        bad = ~np.isfinite(array)
        if bad.any():
            raise TakeError(path, name, f"holds NaN or infinity at frame {_first_bad_frame(bad)}")

    shapes = tracks.blendshapes
    bad = (shapes < -RANGE_TOL) | (shapes > 1 + RANGE_TOL)
    if bad.any():
        frame, channel = np.argwhere(bad)[0]
        raise TakeError(path, "blendshapes", f"{ARKIT_BLENDSHAPE_NAMES[channel]} = {shapes[frame, channel]:.4g} "
                                             f"at frame {frame} is outside [0, 1]; clip or re-solve")
    emotion = tracks.emotion
    if (emotion < -RANGE_TOL).any():
        frame = _first_bad_frame(emotion < -RANGE_TOL)
        raise TakeError(path, "emotion", f"negative weight at frame {frame}")
    sums = emotion.sum(axis=1, dtype=np.float64)
    bad = np.abs(sums - 1.0) > EMOTION_SUM_TOL
    if bad.any():
        frame = _first_bad_frame(bad)
        raise TakeError(path, "emotion", f"weights at frame {frame} sum to {sums[frame]:.4g}, not 1; normalise each row")

    pose = tracks.head_pose.astype(np.float64)
    bottom = np.abs(pose[:, 3, :] - np.array([0.0, 0.0, 0.0, 1.0])).max(axis=1) > RIGID_TOL
    rot = pose[:, :3, :3]
    ortho = np.abs(rot.transpose(0, 2, 1) @ rot - np.eye(3)).max(axis=(1, 2)) > RIGID_TOL
    flipped = np.linalg.det(rot) < 0
    far = np.abs(pose[:, :3, 3]).max(axis=1) > MAX_TRANSLATION_M
    for mask, problem in ((bottom, "last row must be [0, 0, 0, 1]"),
                          (ortho, "rotation is not orthonormal (scale or shear); poses must be rigid"),
                          (flipped, "rotation is a reflection (determinant < 0)"),
                          (far, f"translation beyond {MAX_TRANSLATION_M:g} m")):
        if mask.any():
            raise TakeError(path, "head_pose", f"frame {_first_bad_frame(mask)}: {problem}")
    return tracks
