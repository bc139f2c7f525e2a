"""Reading and writing Takes. Numpy and the standard library only.

``load_take`` validates everything and raises only :class:`TakeError`. ``save_take``
validates before it writes, writes each file atomically, and writes ``take.json`` last:
it records the sha256 of ``tracks.npz``, so a half-finished save or a stale tracks file
is detected on the next load.
"""

from __future__ import annotations

import json
import os
import shutil
import wave
from pathlib import Path
from typing import Any

import numpy as np

from .errors import TakeError
from .fileio import atomic_write, resolve_inside, sha256_file
from .npzsafe import NpzFormatError, load_npz, save_npz
from .take import MAX_FRAMES, TAKE_JSON, TRACK_DTYPE, TRACK_SHAPES, TRACKS_NPZ, AudioRef, Take, Tracks
from .validate import parse_audio, parse_subject, validate_header, validate_tracks

MAX_HEADER_BYTES = 4 << 20
#: Key in take.json holding the sha256 of tracks.npz (written by save_take).
TRACKS_SHA_KEY = "tracks_sha256"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a take (use finite numbers)")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def read_header(take_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and validate take.json (without loading the tracks)."""
    root = Path(take_dir)
    path = root / TAKE_JSON
    if not root.is_dir():
        raise TakeError(root, None, "is not a take folder (expected a folder holding take.json and tracks.npz)")
    try:
        if path.stat().st_size > MAX_HEADER_BYTES:
            raise TakeError(path, None, f"is larger than {MAX_HEADER_BYTES >> 20} MiB; not a take header")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TakeError(path, None, "missing; is this a take folder?") from None
    except OSError as err:
        raise TakeError(path, None, f"cannot be read ({err.strerror}); check permissions") from None
    try:
        header = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant,
                            object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise TakeError(path, None, f"is not valid JSON ({err}); restore it or re-export the take") from None
    if not isinstance(header, dict):
        raise TakeError(path, None, "must hold a JSON object")
    tracks_sha = header.pop(TRACKS_SHA_KEY, None)
    validate_header(header, path)
    if not isinstance(tracks_sha, str):
        raise TakeError(path, TRACKS_SHA_KEY, "missing; the take was not written by realtalk_core.schema.save_take")
    header[TRACKS_SHA_KEY] = tracks_sha
    return header


def _tail_check(tail: tuple[int, ...], frame_count: int):
    def check(shape: tuple[int, ...]) -> str | None:
        if shape != (frame_count, *tail):
            return f"shape {shape} does not match {(frame_count, *tail)} (frame_count in take.json is {frame_count})"
        return None
    return check


def load_take(take_dir: str | os.PathLike[str], verify_audio: bool = True) -> Take:
    """Load and validate a Take folder. Raises TakeError (one line: file, field, problem)."""
    root = Path(take_dir)
    header = read_header(root)
    json_path = root / TAKE_JSON
    npz_path = root / TRACKS_NPZ
    count = header["frame_count"]
    _verify_hash(npz_path, header[TRACKS_SHA_KEY],
                 missing="missing; the take is incomplete, re-export it",
                 changed="does not match the sha256 recorded in take.json (changed or half-written); "
                         "re-save the take with realtalk_core.schema.save_take")
    expected = {name: (TRACK_DTYPE, _tail_check(tail, count)) for name, tail in TRACK_SHAPES.items()}
    max_bytes = MAX_FRAMES * max(int(np.prod(t)) for t in TRACK_SHAPES.values()) * TRACK_DTYPE.itemsize
    try:
        arrays = load_npz(str(npz_path), expected, max_bytes)
    except NpzFormatError as err:
        raise TakeError(npz_path, None, str(err)) from None
    except OSError as err:
        raise TakeError(npz_path, None, f"cannot be read ({err})") from None
    tracks = validate_tracks(Tracks(**arrays), count, npz_path)

    audio = parse_audio(header["audio"], json_path)
    if audio is not None and verify_audio:
        check_audio(root, audio)
    return Take(fps=float(header["fps"]), tracks=tracks, frame_start=header["frame_start"], audio=audio,
                subject=parse_subject(header["subject"], json_path), provenance=header["provenance"])


def audio_path(take_dir: str | os.PathLike[str], audio: AudioRef) -> Path:
    """Absolute path of the Take's audio copy (always inside the take folder)."""
    return resolve_inside(take_dir, audio.path)


def check_audio(take_dir: str | os.PathLike[str], audio: AudioRef) -> Path:
    """Check the audio copy exists and still has the recorded sha256; return its path."""
    path = audio_path(take_dir, audio)
    _verify_hash(path, audio.sha256,
                 missing="audio file named in take.json is missing; put it back or regenerate the take",
                 changed="audio file changed since the take was made (sha256 differs); "
                         "regenerate the take from this audio")
    return path


def _verify_hash(path: Path, expected: str, missing: str, changed: str) -> None:
    """Raise TakeError with ``missing`` / ``changed`` unless ``path`` hashes to ``expected``."""
    try:
        digest = sha256_file(path)
    except FileNotFoundError:
        raise TakeError(path, None, missing) from None
    except OSError as err:
        raise TakeError(path, None, f"cannot be read ({err.strerror}); check its permissions") from None
    if digest != expected:
        raise TakeError(path, None, changed)


def wav_sample_rate(path: str | os.PathLike[str]) -> int | None:
    """The sample rate in a WAV file's header, or None if the file is not a WAV the stdlib reads."""
    try:
        with wave.open(str(path), "rb") as handle:
            return handle.getframerate()
    except (wave.Error, EOFError, OSError):
        return None


def attach_audio(take_dir: str | os.PathLike[str], source: str | os.PathLike[str], sample_rate: int,
                 offset: float = 0.0, name: str | None = None) -> AudioRef:
    """Copy an audio file into the take folder (atomically) and return its AudioRef.

    For WAV files the stated ``sample_rate`` is checked against the file's header.
    """
    source = Path(source)
    actual = wav_sample_rate(source) if source.suffix.lower() == ".wav" else None
    if actual is not None and actual != sample_rate:
        raise TakeError(source, None, f"is {actual} Hz, but the take was to record {sample_rate} Hz; "
                                      "pass the file's own sample rate")
    name = name or "audio" + source.suffix.lower()
    target = resolve_inside(take_dir, name)
    if source.resolve() != target:
        with open(source, "rb") as src, atomic_write(target) as dst:
            shutil.copyfileobj(src, dst)
    return AudioRef(path=name, sample_rate=int(sample_rate), sha256=sha256_file(target), offset=float(offset))


def save_take(take: Take, take_dir: str | os.PathLike[str]) -> Path:
    """Validate, then write tracks.npz and take.json atomically. Returns the take folder."""
    root = Path(take_dir)
    root.mkdir(parents=True, exist_ok=True)
    json_path = root / TAKE_JSON
    header = validate_header(take.header(), json_path)
    validate_tracks(take.tracks, take.frame_count, root / TRACKS_NPZ)
    if take.audio is not None:
        check_audio(root, take.audio)
    with atomic_write(root / TRACKS_NPZ) as handle:
        save_npz(handle, take.tracks.as_dict())
    header[TRACKS_SHA_KEY] = sha256_file(root / TRACKS_NPZ)
    text = json.dumps(header, indent=2, allow_nan=False) + "\n"
    with atomic_write(json_path, "w") as handle:
        handle.write(text)
    return root
