"""The emotion curves being edited: keys per channel, undo, dirty state and saving. No widgets.

The keys are those of :class:`~realtalk_core.schema.emotion_curves.EmotionCurves` (see
``docs/emotion_curves.md``): eight emotion channels with weights in [0, 1] plus ``intensity``
in [0, 2]. Times are seconds on the scene clock (frame ``f`` sits at ``f / fps``). All
validation and sampling goes through ``EmotionCurves``, so what the editor shows is what
``realtalk generate --emotion-curve`` bakes.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PyQt6.QtCore import QObject, pyqtSignal

from realtalk_core.schema import EMOTION_NAMES, Take
from realtalk_core.schema.emotion_curves import (INTENSITY_RANGE, INTERPOLATIONS, WEIGHT_RANGE, EmotionCurves,
                                                 EmotionCurvesError, save_emotion_curves)

INTENSITY = "intensity"
#: Every editable channel: the emotions in EMOTION_NAMES order, then intensity.
CHANNELS: tuple[str, ...] = (*EMOTION_NAMES, INTENSITY)
#: Keys of one channel: ``(time_seconds, value)`` pairs, times strictly increasing.
Keys = tuple[tuple[float, float], ...]
#: Two keys of a channel are never closer than this (seconds); adding one closer replaces the value.
MIN_GAP = 1e-3
#: How closely curves re-made from a plain emotion track follow it (per-frame weight error ~10x this).
TRACK_TOLERANCE = 5e-4
#: Provenance curves whose samples differ from the Take's emotion track by more are stale (the track was edited).
STALE_TOLERANCE = 1e-3
UNDO_DEPTH = 100

_State = tuple[tuple[Keys, ...], str]        # keys in CHANNELS order, interpolation


def value_range(channel: str) -> tuple[float, float]:
    """The allowed values of ``channel``: [0, 1] for emotions, [0, 2] for intensity."""
    _check_channel(channel)
    return INTENSITY_RANGE if channel == INTENSITY else WEIGHT_RANGE


def _check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise ValueError(f"unknown curve channel {channel!r}; known: {', '.join(CHANNELS)}")


class EmotionCurvesModel(QObject):
    """Editable emotion curves with change signals, a snapshot undo stack and a saved/dirty state."""

    #: Any key or the interpolation changed (also after load and undo).
    curvesChanged = pyqtSignal()
    #: The curves started or stopped differing from the last loaded or saved state.
    dirtyChanged = pyqtSignal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys: dict[str, Keys] = {name: () for name in CHANNELS}
        self._keys["neutral"] = ((0.0, 1.0),)
        self._interpolation = "smooth"
        self._saved: _State = self._state()
        self._undo: list[tuple[_State, tuple[str, int] | None]] = []
        self._dirty = False
        self._source = ""

    # ------------------------------------------------------------------ loading
    def load_curves(self, curves: EmotionCurves, fps: float | None = None, source: str = "curves") -> None:
        """Replace everything with ``curves``; ``fps`` converts ``"frames"`` units to seconds. Clean afterwards."""
        scale = 1.0
        if curves.units == "frames":
            if not fps or fps <= 0:
                raise ValueError("these curves count time in frames; give the Take's fps to load them")
            scale = 1.0 / fps
        keys: dict[str, Keys] = {name: () for name in CHANNELS}
        for name, channel_keys in curves.curves.items():
            keys[name] = tuple((t * scale, v) for t, v in channel_keys)
        keys[INTENSITY] = tuple((t * scale, v) for t, v in curves.intensity)
        self._keys = keys
        self._interpolation = curves.interpolation
        self._source = source
        self._undo.clear()
        self._saved = self._state()
        self._changed()

    def load_from_take(self, take: Take) -> str:
        """The curves a generated Take recorded in its provenance, if valid and still matching its emotion
        track; otherwise curves re-made from the track. Returns the source: ``"provenance"`` or ``"track"``."""
        recorded = take.provenance.get("emotion_curves") if isinstance(take.provenance, dict) else None
        if recorded is not None:
            try:
                curves = EmotionCurves.from_json(recorded, "the Take's provenance")
                mix, _ = curves.sample(take.fps, take.frame_count, take.frame_start)      # (T, 8)
                if np.abs(mix - take.tracks.emotion).max(initial=0.0) <= STALE_TOLERANCE:
                    self.load_curves(curves, take.fps, "provenance")
                    return "provenance"
            except EmotionCurvesError:
                pass
        curves = EmotionCurves.from_emotion_track(take.tracks.emotion, take.fps, take.frame_start,
                                                  tolerance=TRACK_TOLERANCE)
        self.load_curves(curves, take.fps, "track")
        return "track"

    @property
    def source(self) -> str:
        """Where the loaded curves came from: ``"provenance"``, ``"track"``, another name given to
        :meth:`load_curves`, or ``""`` for the default (neutral) curves."""
        return self._source

    # ----------------------------------------------------------------- reading
    def keys(self, channel: str) -> Keys:
        """``channel``'s keys, ``(time_seconds, value)`` in time order; empty when it has no curve."""
        _check_channel(channel)
        return self._keys[channel]

    @property
    def interpolation(self) -> str:
        return self._interpolation

    def curves(self) -> EmotionCurves:
        """The keys as validated :class:`EmotionCurves` (units seconds). Channels without keys are left out;
        intensity without keys is the default 1.0."""
        curves = {name: self._keys[name] for name in EMOTION_NAMES if self._keys[name]}
        intensity = self._keys[INTENSITY] or ((0.0, 1.0),)
        return EmotionCurves(curves, intensity, self._interpolation, "seconds")

    def sample(self, fps: float, frames: int, frame_start: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(frames, 8) float32 mix rows summing to 1 and (frames,) float32 intensity, as generate bakes them."""
        return self.curves().sample(fps, frames, frame_start)

    def sample_keys(self, channel: str, fps: float, frames: int, frame_start: int = 0) -> np.ndarray | None:
        """``channel``'s own keys eased between, before the mix is normalised: (frames,) float32, or None
        without keys. Samples through EmotionCurves' intensity curve, which is interpolated as given."""
        keys = self.keys(channel)
        if not keys:
            return None
        probe = EmotionCurves({"neutral": ((0.0, 1.0),)}, keys, self._interpolation, "seconds")
        return probe.sample(fps, frames, frame_start)[1]

    # ----------------------------------------------------------------- editing
    def add_key(self, channel: str, time: float, value: float) -> int:
        """Add a key (value clamped into the channel's range) and return its index. A key already
        within :data:`MIN_GAP` of ``time`` gets the new value instead."""
        value = self._clamp(channel, value)
        time = float(time)
        if not np.isfinite(time):
            raise ValueError(f"key time {time!r} is not a finite number of seconds")
        keys = list(self._keys[channel])
        near = [i for i, (t, _) in enumerate(keys) if abs(t - time) < MIN_GAP]
        if near:
            index = near[0]
            keys[index] = (keys[index][0], value)
        else:
            index = sum(1 for t, _ in keys if t < time)
            keys.insert(index, (time, value))
        self._edit(channel, tuple(keys))
        return index

    def move_key(self, channel: str, index: int, time: float, value: float,
                 merge: bool = False) -> tuple[float, float]:
        """Move key ``index`` to ``(time, value)``, clamped into the value range and strictly between its
        neighbours' times (at least :data:`MIN_GAP` away), so key order never changes. Returns where it went.

        ``merge=True`` folds this move into the previous undo step when that moved the same key (a drag).
        """
        keys = list(self._keys_at(channel, index))
        value = self._clamp(channel, value)
        time = float(time) if np.isfinite(time) else keys[index][0]
        low = keys[index - 1][0] + MIN_GAP if index > 0 else -np.inf
        high = keys[index + 1][0] - MIN_GAP if index + 1 < len(keys) else np.inf
        time = min(max(time, low), high) if low <= high else keys[index][0]
        if (time, value) == keys[index]:
            return keys[index]
        keys[index] = (time, value)
        self._edit(channel, tuple(keys), move=(channel, index), merge=merge)
        return keys[index]

    def delete_key(self, channel: str, index: int) -> bool:
        """Delete key ``index``; a channel left without keys has no curve. Refused (False) for the very last
        emotion key, since curves need at least one emotion."""
        keys = self._keys_at(channel, index)
        if channel != INTENSITY and len(keys) == 1 and sum(bool(self._keys[n]) for n in EMOTION_NAMES) == 1:
            return False
        self._edit(channel, keys[:index] + keys[index + 1:])
        return True

    def set_interpolation(self, mode: str) -> None:
        """``"smooth"`` (smoothstep) or ``"linear"`` easing between keys, for every channel."""
        if mode not in INTERPOLATIONS:
            raise ValueError(f"interpolation {mode!r} is unknown; use one of {', '.join(INTERPOLATIONS)}")
        if mode != self._interpolation:
            self._push_undo(None, False)
            self._interpolation = mode
            self._changed()

    # ------------------------------------------------------- undo, dirty, save
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> bool:
        """Go back one edit; False when there is nothing to undo."""
        if not self._undo:
            return False
        (keys, self._interpolation), _ = self._undo.pop()
        self._keys = dict(zip(CHANNELS, keys))
        self._changed()
        return True

    @property
    def dirty(self) -> bool:
        """Whether the curves differ from the last loaded or saved state."""
        return self._dirty

    def mark_saved(self) -> None:
        """Take the current curves as saved (the dirty flag clears)."""
        self._saved = self._state()
        self._update_dirty()

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write curves.json atomically (``save_emotion_curves``), then mark the curves saved."""
        written = save_emotion_curves(self.curves(), path)
        self.mark_saved()
        return written

    # ---------------------------------------------------------------- internals
    def _state(self) -> _State:
        return tuple(self._keys[name] for name in CHANNELS), self._interpolation

    def _keys_at(self, channel: str, index: int) -> Keys:
        keys = self.keys(channel)
        if not 0 <= index < len(keys):
            raise IndexError(f"{channel} has no key {index} (it has {len(keys)})")
        return keys

    def _clamp(self, channel: str, value: float) -> float:
        low, high = value_range(channel)
        value = float(value)
        if np.isnan(value):
            raise ValueError(f"key value for {channel} is not a number")
        return min(max(value, low), high)

    def _edit(self, channel: str, keys: Keys, move: tuple[str, int] | None = None, merge: bool = False) -> None:
        self._push_undo(move, merge)
        self._keys[channel] = keys
        self._changed()

    def _push_undo(self, move: tuple[str, int] | None, merge: bool) -> None:
        if not (merge and move is not None and self._undo and self._undo[-1][1] == move):
            self._undo.append((self._state(), move))
            del self._undo[:-UNDO_DEPTH]

    def _changed(self) -> None:
        self.curvesChanged.emit()
        self._update_dirty()

    def _update_dirty(self) -> None:
        dirty = self._state() != self._saved
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)
