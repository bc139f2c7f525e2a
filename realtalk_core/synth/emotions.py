"""The eight emotions as FACS action units, and the action units as ARKit-52 offsets.

Each emotion is the set of action units (AUs) that the FACS literature (Ekman and Friesen's
EMFACS prototypes) associates with its prototypical expression. Each AU is a named ARKit
offset in rig weights. An emotion at intensity 1 adds its offsets to the speech weights;
``docs/synth.md`` explains each choice.

Numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np

from ..schema.channels import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES, blendshape_index


def _both(stem: str, value: float) -> dict[str, float]:
    return {f"{stem}Left": value, f"{stem}Right": value}


#: Action unit -> ARKit channels (rig weights at the AU's full, "E"-level intensity).
ACTION_UNITS: Mapping[str, Mapping[str, float]] = MappingProxyType({
    "AU1": {"browInnerUp": 0.8},                                           # inner brow raiser
    "AU2": _both("browOuterUp", 0.8),                                      # outer brow raiser
    "AU4": {**_both("browDown", 0.75)},                                    # brow lowerer
    "AU5": _both("eyeWide", 0.75),                                         # upper lid raiser
    "AU6": {**_both("cheekSquint", 0.7), **_both("eyeSquint", 0.3)},       # cheek raiser
    "AU7": _both("eyeSquint", 0.6),                                        # lid tightener
    "AU9": {**_both("noseSneer", 0.8), **_both("cheekSquint", 0.2)},       # nose wrinkler
    "AU10": _both("mouthUpperUp", 0.5),                                    # upper lip raiser
    "AU12": _both("mouthSmile", 0.75),                                     # lip corner puller
    "AU12L": {"mouthSmileLeft": 0.55},                                     # one-sided lip corner puller
    "AU14L": {"mouthDimpleLeft": 0.7, "mouthPressLeft": 0.15},             # one-sided dimpler
    "AU15": _both("mouthFrown", 0.7),                                      # lip corner depressor
    "AU20": _both("mouthStretch", 0.6),                                    # lip stretcher
    "AU23": {**_both("mouthPress", 0.55), "mouthRollUpper": 0.1},          # lip tightener
    "AU26": {"jawOpen": 0.22},                                             # jaw drop
})

#: Emotion -> (action units, why). Neutral has none.
EMOTION_AUS: Mapping[str, tuple[tuple[str, ...], str]] = MappingProxyType({
    "neutral": ((), "no action units: the speaking face at rest"),
    "happy": (("AU6", "AU12"), "the Duchenne smile: lip corners pulled up (12) with raised cheeks narrowing the eyes (6)"),
    "sad": (("AU1", "AU4", "AU15"), "inner brows raised and drawn together (1+4, the 'grief' brow) with the mouth corners pulled down (15)"),
    "angry": (("AU4", "AU5", "AU7", "AU23"), "lowered brows (4), a glaring upper lid (5) with tightened lower lids (7) and pressed, thinned lips (23)"),
    "fear": (("AU1", "AU2", "AU4", "AU5", "AU20", "AU26"), "raised but drawn-together brows (1+2+4), wide eyes (5), lips stretched sideways (20) and the jaw dropped (26)"),
    "surprise": (("AU1", "AU2", "AU5", "AU26"), "the whole brow raised (1+2), wide eyes (5) and a dropped jaw (26), without the tension of fear"),
    "disgust": (("AU9", "AU10", "AU15"), "a wrinkled nose (9) and raised upper lip (10) with the corners pulled down (15)"),
    "contempt": (("AU12L", "AU14L"), "the only asymmetric prototype: one lip corner tightened and raised (12+14 on the subject's left)"),
})


@dataclass(frozen=True)
class EmotionOffsets:
    """(8, 52) ARKit offsets per emotion, in EMOTION_NAMES x ARKIT_BLENDSHAPE_NAMES order."""

    table: np.ndarray

    @classmethod
    def build(cls, action_units: Mapping[str, Mapping[str, float]] = ACTION_UNITS,
              emotions: Mapping[str, tuple[tuple[str, ...], str]] = EMOTION_AUS) -> "EmotionOffsets":
        table = np.zeros((len(EMOTION_NAMES), len(ARKIT_BLENDSHAPE_NAMES)))
        for row, emotion in enumerate(EMOTION_NAMES):
            for au in emotions[emotion][0]:
                for channel, value in action_units[au].items():
                    column = blendshape_index(channel)[0]
                    table[row, column] = max(table[row, column], value)   # overlapping AUs do not double up
        return cls(table)

    def offset(self, emotion: str) -> np.ndarray:
        """(52,) offsets of one emotion at intensity 1."""
        return self.table[EMOTION_NAMES.index(emotion)]

    def blend(self, emotion_weights: np.ndarray) -> np.ndarray:
        """(T, 8) emotion weights (neutral share included; rows sum to 1) -> (T, 52) offsets."""
        return np.asarray(emotion_weights, dtype=np.float64) @ self.table


#: How emotions change articulation: jaw/lip amplitude gain of the speech channels.
ARTICULATION_GAIN: Mapping[str, float] = MappingProxyType({
    "neutral": 1.0, "angry": 1.15, "disgust": 0.9, "contempt": 0.9,
    "fear": 1.0, "happy": 1.05, "sad": 0.85, "surprise": 1.1,
})


def articulation_gain(emotion_weights: np.ndarray) -> np.ndarray:
    """(T, 8) emotion weights -> (T,) gain applied to the speech weights."""
    gains = np.array([ARTICULATION_GAIN[name] for name in EMOTION_NAMES])
    return np.asarray(emotion_weights, dtype=np.float64) @ gains
