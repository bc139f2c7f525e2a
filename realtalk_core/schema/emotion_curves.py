"""Artist emotion curves: one keyframed curve per emotion channel, plus an intensity curve.

The format behind ``realtalk generate --emotion happy[:0.8]`` and ``--emotion-curve FILE``
(``docs/emotion_curves.md``). Numpy and the standard library only: Blender's Python and the
Qt previewer import it.

JSON (``.json``)::

    {"format": "realtalk-emotion-curves", "version": 1,
     "units": "seconds",          # or "frames": key times are frame numbers at the Take's fps
     "interpolation": "smooth",   # or "linear"; default "smooth"
     "curves": {"happy": [[0.0, 0.0], [2.0, 0.8]], "sad": [[4.0, 0.5]]},
     "intensity": [[0.0, 1.0], [4.0, 1.5]]}      # optional; default 1.0 throughout

CSV (``.csv``; interpolation is always "smooth")::

    time,happy,sad,intensity      <- first column "time" (seconds) or "frame"
    0,0,,1                        <- empty cell: no key for that emotion at that time
    2,0.8,,
    4,,0.5,1.5

Semantics. Each curve holds ``(time, weight)`` keys, weight in [0, 1], times strictly increasing;
values ease between keys (smoothstep or linear) and hold before the first key and after the last.
Emotions without a curve are 0. Each frame's mix takes the non-neutral weights as given;
``neutral`` is its own curve if given, else ``max(0, 1 - sum of the others)``; the row is then
normalised to sum to 1 (an all-zero row is pure neutral). The ``intensity`` curve (range [0, 2],
default 1) is carried apart: it scales expression strength in the model, not the mix.
Times are on the scene clock: frame ``f`` sits at ``f / fps`` seconds.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, NoReturn, Sequence

import numpy as np

from .channels import EMOTION_NAMES
from .errors import RealtalkError
from .fileio import atomic_write
from .validate import EMOTION_SUM_TOL

FORMAT_TAG = "realtalk-emotion-curves"
FORMAT_VERSION = 1
UNITS = ("seconds", "frames")
INTERPOLATIONS = ("smooth", "linear")
WEIGHT_RANGE = (0.0, 1.0)
INTENSITY_RANGE = (0.0, 2.0)
#: More keys than this in one curve is refused as absurd (a Take holds at most 500,000 frames).
MAX_KEYS = 1_000_000

Keys = tuple[tuple[float, float], ...]
DEFAULT_INTENSITY: Keys = ((0.0, 1.0),)
_NEUTRAL = EMOTION_NAMES.index("neutral")
_JSON_FIELDS = ("format", "version", "units", "interpolation", "curves", "intensity")
_KNOWN = ", ".join(EMOTION_NAMES)
_PRESET_HELP = "write NAME or NAME:WEIGHT with WEIGHT in [0, 1], e.g. happy:0.8"


class EmotionCurvesError(RealtalkError):
    """An emotion-curves file, preset or track is malformed; the message names it and the fix."""


def _fail(source: str, problem: str) -> NoReturn:
    raise EmotionCurvesError(f"{source}: {problem}")


@dataclass(frozen=True)
class EmotionCurves:
    """Per-emotion keyframed curves, sampled into per-frame mixes by :meth:`sample`."""

    curves: Mapping[str, Keys]
    """Emotion name -> ``(time, weight)`` keys; weights in [0, 1], times strictly increasing."""
    intensity: Keys = DEFAULT_INTENSITY
    """``(time, strength)`` keys in [0, 2]; scales expression strength later, not folded into the mix."""
    interpolation: str = "smooth"
    """``"smooth"`` (smoothstep ease between keys) or ``"linear"``."""
    units: str = "seconds"
    """Unit of every key time: ``"seconds"`` or ``"frames"`` (converted with the fps given to sample)."""

    def __post_init__(self) -> None:
        curves, intensity = _validate(self.curves, self.intensity, self.interpolation, self.units,
                                      "emotion curves")
        object.__setattr__(self, "curves", curves)
        object.__setattr__(self, "intensity", intensity)

    def sample(self, fps: float, frames: int, frame_start: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Frames ``frame_start .. frame_start + frames - 1`` at ``fps`` ->
        (weights (frames, 8) float32 in EMOTION_NAMES order, rows summing to 1; intensity (frames,) float32)."""
        if not (_is_number(fps) and np.isfinite(fps) and fps > 0):
            _fail("emotion curves", f"fps {fps!r} must be a positive number")
        if int(frames) != frames or frames < 0:
            _fail("emotion curves", f"frame count {frames!r} must be a whole number >= 0")
        at = np.arange(frame_start, frame_start + int(frames), dtype=np.float64)      # (T,) frame numbers
        if self.units == "seconds":
            at = at / fps
        weights = np.zeros((len(at), len(EMOTION_NAMES)))                             # (T, 8)
        for name, keys in self.curves.items():
            weights[:, EMOTION_NAMES.index(name)] = _interpolate(keys, at, self.interpolation)
        if "neutral" not in self.curves:
            weights[:, _NEUTRAL] = np.maximum(0.0, 1.0 - weights.sum(axis=1))
        total = weights.sum(axis=1, keepdims=True)                                    # (T, 1)
        weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
        weights[total[:, 0] <= 0, _NEUTRAL] = 1.0
        intensity = _interpolate(self.intensity, at, self.interpolation)
        return weights.astype(np.float32), intensity.astype(np.float32)

    def to_json(self) -> dict[str, Any]:
        """The JSON document of this file format (see the module docstring)."""
        return {"format": FORMAT_TAG, "version": FORMAT_VERSION, "units": self.units,
                "interpolation": self.interpolation,
                "curves": {name: [list(key) for key in keys] for name, keys in self.curves.items()},
                "intensity": [list(key) for key in self.intensity]}

    @classmethod
    def from_json(cls, data: Any, source: str = "emotion curves") -> "EmotionCurves":
        """Parse a JSON document; errors name ``source`` (the file)."""
        if not isinstance(data, dict):
            _fail(source, "the top level must be a JSON object with \"format\": \"realtalk-emotion-curves\"")
        unknown = sorted(set(data) - set(_JSON_FIELDS))
        if unknown:
            _fail(source, f"unknown field(s) {unknown}; known: {', '.join(_JSON_FIELDS)}")
        if data.get("format") != FORMAT_TAG:
            _fail(source, f"format is {data.get('format')!r}; set \"format\": \"{FORMAT_TAG}\" "
                          "(is this an emotion-curves file?)")
        version = data.get("version")
        if type(version) is not int or version != FORMAT_VERSION:
            newer = type(version) is int and version > FORMAT_VERSION
            _fail(source, f"version {version!r} " + ("is newer than this RealTalk reads; upgrade RealTalk" if newer
                                                      else f"is not supported; set \"version\": {FORMAT_VERSION}"))
        curves = data.get("curves")
        if not isinstance(curves, dict):
            _fail(source, "\"curves\" must be an object mapping emotion names to [[time, weight], ...] lists")
        return _new(source, curves, data.get("intensity", DEFAULT_INTENSITY),
                    data.get("interpolation", "smooth"), data.get("units", "seconds"))

    @classmethod
    def from_preset(cls, spec: str, source: str = "--emotion") -> "EmotionCurves":
        """``"happy"`` (weight 1) or ``"happy:0.8"``: that emotion held, the rest neutral."""
        where = f"{source} {spec!r}"
        name, colon, amount = str(spec).strip().partition(":")
        name = name.strip().lower()
        if name not in EMOTION_NAMES:
            _fail(where, f"unknown emotion {name!r} (known: {_KNOWN}); {_PRESET_HELP}")
        weight = 1.0
        if colon:
            try:
                weight = float(amount)
            except ValueError:
                _fail(where, f"weight {amount.strip()!r} is not a number; {_PRESET_HELP}")
            if not WEIGHT_RANGE[0] <= weight <= WEIGHT_RANGE[1]:
                _fail(where, f"weight {amount.strip()} is outside [0, 1]; {_PRESET_HELP}")
        return _new(where, {name: [(0.0, weight)]})

    @classmethod
    def from_emotion_track(cls, weights: np.ndarray, fps: float, frame_start: int = 0,
                           tolerance: float = 1e-5) -> "EmotionCurves":
        """A Take's (T, 8) emotion track -> linear curves whose samples reproduce it within ~10 x tolerance.

        Keys are dropped where linear interpolation between their neighbours stays within
        ``tolerance`` of every frame (``tolerance=0`` keeps a key on every frame). All-zero channels
        are left out; ``neutral`` is always kept.
        """
        source = "emotion track"
        track = np.asarray(weights, dtype=np.float64)                                 # (T, 8)
        if track.ndim != 2 or track.shape[1] != len(EMOTION_NAMES) or len(track) == 0:
            _fail(source, f"shape {track.shape} is not (T, {len(EMOTION_NAMES)}) with T >= 1, "
                          "columns in EMOTION_NAMES order")
        if not (_is_number(fps) and np.isfinite(fps) and fps > 0):
            _fail(source, f"fps {fps!r} must be a positive number")
        bad = ~np.isfinite(track).all(axis=1) | (track < -1e-6).any(axis=1) \
            | (np.abs(track.sum(axis=1) - 1.0) > EMOTION_SUM_TOL)
        if bad.any():
            _fail(source, f"frame {int(np.argmax(bad))} is not a mix of weights >= 0 summing to 1; "
                          "normalise each row")
        track = np.clip(track, 0.0, 1.0)
        times = np.arange(frame_start, frame_start + len(track), dtype=np.float64) / fps
        curves = {name: _simplify(times, track[:, j], tolerance) for j, name in enumerate(EMOTION_NAMES)
                  if name == "neutral" or track[:, j].max() > 0}
        return _new(source, curves, ((float(times[0]), 1.0),), "linear", "seconds")


# ------------------------------------------------------------------ validation and sampling
def _new(source: str, curves: Mapping[str, Any], intensity: Any = DEFAULT_INTENSITY,
         interpolation: Any = "smooth", units: Any = "seconds") -> EmotionCurves:
    """Validate with errors naming ``source``, then build."""
    checked, keys = _validate(curves, intensity, interpolation, units, source)
    return EmotionCurves(checked, keys, interpolation, units)


def _validate(curves: Mapping[str, Any], intensity: Any, interpolation: Any, units: Any,
              source: str) -> tuple[Mapping[str, Keys], Keys]:
    if interpolation not in INTERPOLATIONS:
        _fail(source, f"interpolation {interpolation!r} is unknown; use one of {', '.join(INTERPOLATIONS)}")
    if units not in UNITS:
        _fail(source, f"units {units!r} is unknown; use one of {', '.join(UNITS)}")
    if not isinstance(curves, Mapping) or not curves:
        _fail(source, "no emotion curves; give at least one, e.g. \"happy\": [[0, 0.8]]")
    checked: dict[str, Keys] = {}
    for raw_name, keys in curves.items():
        name = str(raw_name).strip().lower()
        if name not in EMOTION_NAMES:
            _fail(source, f"unknown emotion {raw_name!r}; known: {_KNOWN}")
        if name in checked:
            _fail(source, f"emotion {name!r} is given twice; keep one curve per emotion")
        checked[name] = _keys(keys, source, f"curve {name!r}", WEIGHT_RANGE)
    ordered = MappingProxyType({name: checked[name] for name in EMOTION_NAMES if name in checked})
    return ordered, _keys(intensity, source, "intensity", INTENSITY_RANGE)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _keys(raw: Any, source: str, what: str, bounds: tuple[float, float]) -> Keys:
    """Check ``[[time, value], ...]`` and return it as a tuple of float pairs."""
    if isinstance(raw, np.ndarray) and raw.dtype.kind in "iuf" and raw.ndim == 2 and raw.shape[1] == 2:
        table = raw.astype(np.float64)
    else:
        if isinstance(raw, (str, bytes)) or not isinstance(raw, Sequence):
            _fail(source, f"{what} must be a list of [time, value] pairs, got {type(raw).__name__}")
        for i, pair in enumerate(raw):
            if not (isinstance(pair, (Sequence, np.ndarray)) and not isinstance(pair, (str, bytes))
                    and len(pair) == 2 and all(_is_number(v) for v in pair)):
                _fail(source, f"{what} key {i}: {pair!r} is not a [time, value] pair of numbers")
        table = np.asarray(raw, dtype=np.float64).reshape(-1, 2)                       # (K, 2)
    if len(table) == 0:
        _fail(source, f"{what} has no keys; give at least one [time, value] pair or leave it out")
    if len(table) > MAX_KEYS:
        _fail(source, f"{what} has {len(table)} keys, more than {MAX_KEYS}; simplify it")
    low, high = bounds
    checks = ((~np.isfinite(table).all(axis=1), "is not finite; use plain numbers"),
              (table[:, 1] < low, f"has a value below {low:g}; values must be in [{low:g}, {high:g}]"),
              (table[:, 1] > high, f"has a value above {high:g}; values must be in [{low:g}, {high:g}]"),
              (np.r_[False, np.diff(table[:, 0]) <= 0],
               "is not later than the key before it; list keys in increasing time, one key per time"))
    for bad, problem in checks:
        if bad.any():
            i = int(np.argmax(bad))
            _fail(source, f"{what} key {i} [{table[i, 0]:g}, {table[i, 1]:g}] {problem}")
    return tuple((t, v) for t, v in table.tolist())


def _interpolate(keys: Keys, at: np.ndarray, mode: str) -> np.ndarray:
    """Keys sampled at ``at`` (T,): eased between keys, held before the first and after the last."""
    times, values = np.asarray(keys, dtype=np.float64).T                                # (K,), (K,)
    if len(times) == 1:
        return np.full(at.shape, values[0])
    seg = np.clip(np.searchsorted(times, at, side="right") - 1, 0, len(times) - 2)     # (T,)
    with np.errstate(over="ignore"):        # keys a denormal apart: the ratio overflows to inf, clipped to 1
        u = np.clip((at - times[seg]) / (times[seg + 1] - times[seg]), 0.0, 1.0)
    if mode == "smooth":
        u = u * u * (3.0 - 2.0 * u)
    return values[seg] * (1.0 - u) + values[seg + 1] * u


def _simplify(times: np.ndarray, values: np.ndarray, tolerance: float) -> np.ndarray:
    """(K, 2) keys, a subset of ``(times, values)`` whose linear interpolation stays within ``tolerance``."""
    n = len(values)
    if tolerance <= 0 or n <= 2:
        return np.stack([times, values], axis=1)

    def fits(a: int, b: int) -> bool:
        u = (times[a:b + 1] - times[a]) / (times[b] - times[a])
        return bool(np.abs(values[a] * (1 - u) + values[b] * u - values[a:b + 1]).max() <= tolerance)

    # A frame more than 2 x tolerance off the line through its neighbours must be a key: no line
    # within tolerance of all three exists. Those frames split the work (noisy tracks need no search).
    u = (times[1:-1] - times[:-2]) / (times[2:] - times[:-2])
    bent = np.abs(values[:-2] * (1 - u) + values[2:] * u - values[1:-1]) > 2 * tolerance
    keep = [0]
    for last in [*(np.flatnonzero(bent) + 1).tolist(), n - 1]:
        start = keep[-1]
        while start < last:
            good, bad, length = start + 1, last + 1, 1
            while good < last and bad > last:       # gallop: segments of 2, 4, 8, ... frames
                length *= 2
                end = min(start + length, last)
                good, bad = (end, bad) if fits(start, end) else (good, end)
            while bad <= last and bad - good > 1:   # then bisect between the last fit and the first miss
                mid = (good + bad) // 2
                good, bad = (mid, bad) if fits(start, mid) else (good, mid)
            keep.append(good)
            start = good
    return np.stack([times[keep], values[keep]], axis=1)


# ------------------------------------------------------------------------------ file IO
def load_emotion_curves(path: str | os.PathLike[str]) -> EmotionCurves:
    """Read a ``.json`` or ``.csv`` emotion-curves file (layouts in the module docstring)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        _fail(str(path), f"unknown extension {suffix or '(none)'!r}; emotion curves are .json or .csv files")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        _fail(str(path), "no such file; check the emotion-curves path")
    except UnicodeDecodeError:
        _fail(str(path), "is not UTF-8 text; save it as UTF-8")
    except OSError as err:
        _fail(str(path), f"cannot be read ({err.strerror or err}); check the path and permissions")
    return _parse_json(text, str(path)) if suffix == ".json" else _parse_csv(text, str(path))


def save_emotion_curves(curves: EmotionCurves, path: str | os.PathLike[str]) -> Path:
    """Write ``curves`` as JSON, atomically; one line per curve. Returns the path."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        _fail(str(path), "emotion curves are saved as JSON; give the file a .json extension")
    data = curves.to_json()
    lines = [f"  {json.dumps(key)}: {json.dumps(data[key])}" for key in _JSON_FIELDS[:4]]
    rows = [f"    {json.dumps(name)}: {json.dumps(keys, allow_nan=False)}" for name, keys in data["curves"].items()]
    lines.append("  \"curves\": {\n" + ",\n".join(rows) + "\n  }")
    lines.append(f"  \"intensity\": {json.dumps(data['intensity'], allow_nan=False)}")
    with atomic_write(path, "wb") as handle:
        handle.write(("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8"))
    return path


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} appears twice in one object; keep one")
        out[key] = value
    return out


def _parse_json(text: str, source: str) -> EmotionCurves:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as err:
        _fail(source, f"not valid JSON at line {err.lineno} column {err.colno} ({err.msg}); fix the syntax")
    except (ValueError, RecursionError) as err:
        _fail(source, f"not valid emotion-curves JSON: {err}")
    return EmotionCurves.from_json(data, source)


def _parse_csv(text: str, source: str) -> EmotionCurves:
    try:
        reader = csv.reader(io.StringIO(text))
        rows = [(reader.line_num, [cell.strip() for cell in row]) for row in reader]
    except csv.Error as err:
        _fail(source, f"not a readable CSV file ({err}); save it as plain comma-separated text")
    rows = [(line, row) for line, row in rows if any(row)]
    if not rows:
        _fail(source, "empty file; the first line must be a header such as time,happy,sad")
    header = [cell.lower() for cell in rows[0][1]]
    if header[0] not in ("time", "frame"):
        _fail(source, f"line {rows[0][0]}: the first column is {rows[0][1][0]!r}; name it time (seconds) or frame")
    names = header[1:]
    if not names:
        _fail(source, f"no emotion columns; add columns named after emotions ({_KNOWN}) or intensity")
    for column, name in enumerate(names, start=2):
        if name != "intensity" and name not in EMOTION_NAMES:
            _fail(source, f"column {column} {name!r} is not an emotion; known: {_KNOWN}, intensity")
        if names.count(name) > 1:
            _fail(source, f"column {name!r} appears twice; keep one column per emotion")
    keys: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    previous = None
    for line, row in rows[1:]:
        if len(row) > len(header) and any(row[len(header):]):
            _fail(source, f"line {line}: {len(row)} cells but the header has {len(header)} columns")
        row = row + [""] * (len(header) - len(row))
        if not row[0]:
            _fail(source, f"line {line}: no {header[0]}; every row needs one in the first column")
        time = _csv_number(row[0], source, line, header[0], None)
        if previous is not None and time <= previous:
            _fail(source, f"line {line}: {header[0]} {row[0]} is not after the row before ({previous:g}); "
                          f"sort rows by {header[0]}, one row per {header[0]}")
        previous = time
        for name, cell in zip(names, row[1:]):
            if cell:
                bounds = INTENSITY_RANGE if name == "intensity" else WEIGHT_RANGE
                keys[name].append((time, _csv_number(cell, source, line, name, bounds)))
    for name, column_keys in keys.items():
        if not column_keys:
            _fail(source, f"column {name!r} has no values; fill at least one cell or remove the column")
    intensity = keys.pop("intensity", DEFAULT_INTENSITY)
    return _new(source, keys, intensity, "smooth", "seconds" if header[0] == "time" else "frames")


def _csv_number(cell: str, source: str, line: int, column: str, bounds: tuple[float, float] | None) -> float:
    try:
        value = float(cell)
    except ValueError:
        _fail(source, f"line {line}, column {column!r}: {cell!r} is not a number")
    if not np.isfinite(value):
        _fail(source, f"line {line}, column {column!r}: {cell!r} is not finite; use plain numbers")
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        _fail(source, f"line {line}, column {column!r}: {cell} is outside [{bounds[0]:g}, {bounds[1]:g}]")
    return value
