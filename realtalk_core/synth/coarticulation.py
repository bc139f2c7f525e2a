"""Timed phones -> per-frame ARKit speech weights, by dominance-function blending.

Each viseme segment pulls every articulator group (jaw, lip rounding, other lip channels,
tongue) towards its target with a *dominance* that is flat inside the segment and decays
exponentially outside it (the Cohen-Massaro idea). At each frame a group's weights are the
dominance-weighted mean of the segments' targets, so a weak consonant (/t/, /k/) takes the
lip shape of its neighbours while a strong one (/p/, /f/) holds its own.

- **Look-ahead rounding:** rounded visemes decay slowly *before* their segment, so lips start
  to round through the consonants before /u/ ("stoop" rounds at the /s/).
- **Vowel undershoot:** a very short vowel opens the jaw less.
- **Pauses relax:** a pause's rest shape dominates more the longer the pause lasts.
- **Closures:** :func:`closure_frames` marks the frames that must show sealed lips for each
  /p b m/; the lips are sealed after emotion layering (:mod:`.closure`).

Numpy only. Shapes: N segments, T frames, C = 52 channels.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from ..schema.channels import ARKIT_BLENDSHAPE_NAMES, blendshape_index
from .visemes import GROUPS, VisemeTable, visemes_of


@dataclass(frozen=True)
class CoarticulationConfig:
    """Dominance-function blending settings (seconds)."""

    #: how far a segment's influence reaches before it (anticipation), 1/e distance
    anticipation: float = 0.035
    #: the same for rounded visemes on the rounding group: look-ahead rounding
    rounding_anticipation: float = 0.14
    #: how far a segment's influence lasts after it (carry-over)
    carryover: float = 0.045
    #: vowels shorter than this open the jaw proportionally less (undershoot), down to half
    full_vowel: float = 0.07
    #: pauses longer than this are fully relaxed (rest shape at full dominance)
    relax_after: float = 0.25
    #: the part of a bilabial's segment at its end that is the release, not the closure
    release_share: float = 0.2
    #: lips seal this long before a bilabial's acoustic onset (the silent closure of a stop is
    #: timed as part of the sound before it), taking at most half of the previous segment
    closure_lead: float = 0.05


@dataclass(frozen=True)
class Segment:
    """A viseme over a time span."""

    viseme: str
    start: float
    end: float
    closure: bool = False

    @property
    def duration(self) -> float:
        return self.end - self.start


def segments_of(phones: Sequence, config: CoarticulationConfig | None = None) -> list[Segment]:
    """Expand phones (``.symbol``, ``.start``, ``.end``) into viseme segments in time order.

    A bilabial closure starts ``closure_lead`` before its phone, taken from the segment before it.
    """
    config = config or CoarticulationConfig()
    out: list[Segment] = []
    for phone in phones:
        start, end = float(phone.start), float(phone.end)
        if end <= start:
            continue
        cursor = start
        for part in visemes_of(phone.symbol):
            stop = cursor + part.share * (end - start)
            out.append(Segment(part.viseme, cursor, stop, part.closure))
            cursor = stop
    for i in range(1, len(out)):
        if out[i].closure:
            before = out[i - 1]
            start = max(before.start + 0.5 * before.duration, out[i].start - config.closure_lead)
            if start < out[i].start and abs(before.end - out[i].start) < 1e-6:
                out[i - 1] = replace(before, end=start)
                out[i] = replace(out[i], start=start)
    return out


def _dominance(segments: list[Segment], times: np.ndarray, group: str, table: VisemeTable,
               config: CoarticulationConfig) -> np.ndarray:
    """(N, T) dominance of each segment over each frame time, for one articulator group."""
    starts = np.array([s.start for s in segments])[:, None]
    ends = np.array([s.end for s in segments])[:, None]
    strength = np.array([table[s.viseme].dominance[group] for s in segments])
    pauses = np.array([s.viseme == "sil" for s in segments])
    durations = (ends - starts)[:, 0]
    strength = np.where(pauses, np.clip(strength * (0.5 + durations / config.relax_after), 0, 1.0), strength)
    ahead = np.full(len(segments), config.anticipation)
    if group == "round":
        ahead = np.where([table[s.viseme].rounded for s in segments], config.rounding_anticipation, ahead)
    before = np.clip(starts - times[None, :], 0, None) / ahead[:, None]
    after = np.clip(times[None, :] - ends, 0, None) / config.carryover
    return strength[:, None] * np.exp(-(before + after)) + 1e-12


def _targets(segments: list[Segment], table: VisemeTable, config: CoarticulationConfig) -> np.ndarray:
    """(N, 52) target weights of each segment, with vowel undershoot."""
    out = np.zeros((len(segments), len(ARKIT_BLENDSHAPE_NAMES)))
    for i, seg in enumerate(segments):
        viseme = table[seg.viseme]
        scale = 1.0
        if viseme.vowel:
            scale = float(np.clip(seg.duration / config.full_vowel, 0.5, 1.0))
        for name, value in viseme.target.items():
            out[i, blendshape_index(name)[0]] = value * scale
    return out


def speech_weights(phones: Sequence, times: np.ndarray, table: VisemeTable | None = None,
                   config: CoarticulationConfig | None = None) -> np.ndarray:
    """(T, 52) ARKit speech weights at ``times`` (seconds) from timed IPA phones."""
    table, config = table or VisemeTable(), config or CoarticulationConfig()
    times = np.asarray(times, dtype=np.float64)
    segments = segments_of(phones, config)
    out = np.zeros((len(times), len(ARKIT_BLENDSHAPE_NAMES)))
    if not segments:
        return out
    targets = _targets(segments, table, config)
    for group, channels in GROUPS.items():
        columns = blendshape_index(channels)
        dominance = _dominance(segments, times, group, table, config)       # (N, T)
        blended = (dominance.T @ targets[:, columns]) / dominance.sum(axis=0)[:, None]
        out[:, columns] = blended
    return out


def closure_frames(phones: Sequence, times: np.ndarray, config: CoarticulationConfig | None = None) -> np.ndarray:
    """(T,) bool: frames that must show sealed lips, at least one per /p b m/ segment."""
    config = config or CoarticulationConfig()
    times = np.asarray(times, dtype=np.float64)
    mask = np.zeros(len(times), dtype=bool)
    if len(times) == 0:
        return mask
    for seg in segments_of(phones, config):
        if not seg.closure:
            continue
        stop = seg.end - config.release_share * seg.duration
        inside = (times >= seg.start) & (times <= stop)
        if inside.any():
            mask |= inside
        else:
            centre = 0.5 * (seg.start + stop)
            nearest = int(np.argmin(np.abs(times - centre)))
            if abs(times[nearest] - centre) <= seg.duration + 0.5 * _step(times):
                mask[nearest] = True
    return mask


def _step(times: np.ndarray) -> float:
    return float(np.median(np.diff(times))) if len(times) > 1 else 0.04
