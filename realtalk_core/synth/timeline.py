"""The synthetic subject's script: one voice speaking utterance after utterance, each with an emotion.

The utterances are joined with short pauses into one continuous recording (so the head moves
on without cuts); each is spoken in one emotion at one of MEAD's three intensity levels, and
the emotion changes during the pauses. The clip boundaries let the recording be cut into a
MEAD-like tree of per-emotion clips as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..phonetics.espeak import SAMPLE_RATE, synthesize
from ..phonetics.phones import PAUSE, Phone
from ..phonetics.sentences import make_sentence
from ..phonetics.voices import VoiceSpec
from .curves import EXPRESSIVE, EmotionCurve, EmotionKey


@dataclass(frozen=True)
class TimelineConfig:
    """What the subject says, how and in which emotions."""

    minutes: float = 3.0
    seed: int = 0
    #: the subject's one voice (a synthetic subject has one voice, like a person)
    voice: VoiceSpec = field(default_factory=lambda: VoiceSpec("en-us", "m3", pitch=45, pitch_range=60, rate=150))
    language: str = "en-us"
    min_clip: float = 3.3                      #: seconds; MEAD-like clips must be long enough to process
    pause: tuple[float, float] = (0.4, 0.9)    #: seconds of silence between utterances
    lead_in: float = 0.5                       #: seconds of silence before the first utterance
    levels: tuple[float, ...] = (0.33, 0.66, 1.0)
    neutral_share: float = 0.3


@dataclass(frozen=True)
class Clip:
    """One utterance inside the recording."""

    index: int
    text: str
    start: float        #: seconds: first sample of speech
    end: float          #: seconds: last sample of speech
    emotion: str
    level: int          #: 1..3 (MEAD's levels); 0 for neutral
    intensity: float

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "text": self.text, "start": round(self.start, 4), "end": round(self.end, 4),
                "emotion": self.emotion, "level": self.level, "intensity": self.intensity}


@dataclass
class Timeline:
    """The whole recording with its ground truth."""

    samples: np.ndarray          # (N,) float32 mono
    sample_rate: int
    phones: list[Phone]
    clips: list[Clip]
    curve: EmotionCurve
    voice: VoiceSpec

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def build_timeline(config: TimelineConfig) -> Timeline:
    """Speak utterances until ``minutes`` are filled; deterministic for ``config.seed``."""
    rng = np.random.default_rng(np.random.SeedSequence([config.seed, 7]))
    rate = SAMPLE_RATE
    lead = int(round(config.lead_in * rate))
    pieces = [np.zeros(lead, np.float32)]
    phones = [Phone(PAUSE, 0.0, lead / rate)]
    clips: list[Clip] = []
    cursor = lead / rate
    while cursor < config.minutes * 60.0:
        text, utterance = "", None
        while utterance is None or utterance.duration < config.min_clip:
            text = (text + " " + make_sentence(rng, config.language)).strip()
            utterance = synthesize(text, config.voice)
        if rng.random() < config.neutral_share:
            emotion, level, intensity = "neutral", 0, 0.0
        else:
            emotion = str(rng.choice(EXPRESSIVE))
            level = int(rng.integers(1, len(config.levels) + 1))
            intensity = float(config.levels[level - 1])
        clips.append(Clip(len(clips), text, cursor, cursor + utterance.duration, emotion, level, intensity))
        pieces.append(utterance.samples.astype(np.float32))
        phones += [Phone(p.symbol, p.start + cursor, p.end + cursor) for p in utterance.phones]
        cursor += utterance.duration
        gap = int(round(float(rng.uniform(*config.pause)) * rate))
        pause = gap / rate
        pieces.append(np.zeros(gap, np.float32))
        phones.append(Phone(PAUSE, cursor, cursor + pause))
        cursor += pause
    samples = np.concatenate(pieces)
    keys = []
    for clip in clips:
        keys += [EmotionKey(clip.start, clip.emotion, clip.intensity), EmotionKey(clip.end, clip.emotion, clip.intensity)]
    return Timeline(samples, rate, _fit(phones, len(samples) / rate), clips, EmotionCurve(tuple(keys), "script"),
                    config.voice)


def _fit(phones: list[Phone], duration: float) -> list[Phone]:
    """Phones made contiguous and ending exactly at the recording's end."""
    out = []
    for i, phone in enumerate(phones):
        end = phones[i + 1].start if i + 1 < len(phones) else duration
        out.append(Phone(phone.symbol, phone.start, max(end, phone.start)))
    return out
