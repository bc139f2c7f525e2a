"""Emotion as a curve over time: keys of (time, emotion, intensity), eased between.

A key at intensity ``k`` means ``k`` of that emotion and ``1 - k`` neutral, so every sampled
row is a convex mix over EMOTION_NAMES (rows sum to 1, as the Take requires). Between keys
the mix eases with a smoothstep; before the first key and after the last it holds.
Artists keyframe exactly this in Blender; the synth corpus draws curves from the kinds
below (constant, ramp, transition).

Numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..schema.channels import EMOTION_NAMES

CURVE_KINDS = ("constant", "ramp", "transition")
EXPRESSIVE = tuple(name for name in EMOTION_NAMES if name != "neutral")


@dataclass(frozen=True)
class EmotionKey:
    """One key of an emotion curve."""

    time: float        #: seconds
    emotion: str       #: one of EMOTION_NAMES
    intensity: float   #: 0..1

    def __post_init__(self) -> None:
        if self.emotion not in EMOTION_NAMES:
            raise ValueError(f"unknown emotion {self.emotion!r}; known: {', '.join(EMOTION_NAMES)}")
        if not 0.0 <= self.intensity <= 1.0 or not np.isfinite(self.time):
            raise ValueError(f"emotion key {self}: intensity must be in [0, 1] and time finite")

    def vector(self) -> np.ndarray:
        """(8,) mix of this key: intensity of the emotion, the rest neutral."""
        out = np.zeros(len(EMOTION_NAMES))
        out[EMOTION_NAMES.index("neutral")] = 1.0 - self.intensity
        out[EMOTION_NAMES.index(self.emotion)] += self.intensity
        return out


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


@dataclass(frozen=True)
class EmotionCurve:
    """Keys in time order, sampled into (T, 8) mixes."""

    keys: tuple[EmotionKey, ...]
    kind: str = "custom"

    def __post_init__(self) -> None:
        if not self.keys:
            raise ValueError("an emotion curve needs at least one key")
        times = [k.time for k in self.keys]
        if times != sorted(times):
            raise ValueError("emotion keys must be in time order")

    def sample(self, times: np.ndarray) -> np.ndarray:
        """(T,) seconds -> (T, 8) emotion mixes, rows summing to 1."""
        times = np.asarray(times, dtype=np.float64)
        vectors = np.stack([k.vector() for k in self.keys])         # (K, 8)
        key_times = np.array([k.time for k in self.keys])
        out = np.repeat(vectors[:1], len(times), axis=0)
        for i in range(1, len(self.keys)):
            span = max(key_times[i] - key_times[i - 1], 1e-9)
            mix = _smoothstep((times - key_times[i - 1]) / span)[:, None]
            later = times >= key_times[i - 1]
            out[later] = ((1 - mix) * vectors[i - 1] + mix * vectors[i])[later]
        return out

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "keys": [[k.time, k.emotion, k.intensity] for k in self.keys]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "EmotionCurve":
        return cls(tuple(EmotionKey(float(t), str(e), float(i)) for t, e, i in data["keys"]), str(data["kind"]))

    def dominant(self) -> str:
        """The emotion held at the highest intensity anywhere on the curve ("neutral" if none)."""
        best = max(self.keys, key=lambda k: k.intensity if k.emotion != "neutral" else -1.0)
        return best.emotion if best.intensity > 0 and best.emotion != "neutral" else "neutral"


def constant(emotion: str, intensity: float) -> EmotionCurve:
    return EmotionCurve((EmotionKey(0.0, emotion, intensity),), "constant")


def ramp(emotion: str, start: float, end: float, high: float = 1.0, low: float = 0.0) -> EmotionCurve:
    """From ``low`` intensity at ``start`` s up to ``high`` at ``end`` s (held before and after)."""
    return EmotionCurve((EmotionKey(start, emotion, low), EmotionKey(end, emotion, high)), "ramp")


def transition(first: str, second: str, at: float, width: float, intensities: Sequence[float]) -> EmotionCurve:
    """``first`` held, crossing over ``width`` s centred on ``at`` into ``second``."""
    a, b = intensities
    return EmotionCurve((EmotionKey(max(0.0, at - width / 2), first, a),
                         EmotionKey(at + width / 2, second, b)), "transition")


def random_curve(rng: np.random.Generator, duration: float, kind: str | None = None,
                 emotion: str | None = None) -> EmotionCurve:
    """A curve of the given (or a random) kind over ``duration`` seconds, for the synth corpus."""
    kind = kind or str(rng.choice(CURVE_KINDS))
    emotion = emotion or str(rng.choice(EXPRESSIVE))
    level = float(rng.uniform(0.4, 1.0))
    if kind == "constant":
        return constant(emotion, level)
    if kind == "ramp":
        start = float(rng.uniform(0.0, 0.3)) * duration
        end = start + float(rng.uniform(0.3, 0.6)) * duration
        return ramp(emotion, start, end, high=level)
    if kind == "transition":
        other = str(rng.choice([e for e in EMOTION_NAMES if e != emotion]))
        at = float(rng.uniform(0.35, 0.65)) * duration
        width = float(rng.uniform(0.4, 1.2))
        return transition(emotion, other, at, width, (level, float(rng.uniform(0.4, 1.0))))
    raise ValueError(f"unknown curve kind {kind!r}; known: {', '.join(CURVE_KINDS)}")
