"""Paired neutral / emotional sequences for the LDM (MEAD recordings: ``mead_pairs``).

A synth pair is the same utterance, voice, blinks and head motion performed neutral and with an
emotion, frame for frame: ``realtalk synth motion`` writes them as
``pairs/<speaker>/<emotion>/level_<n>/<item>/`` beside ``pairs/<speaker>/neutral/level_1/<item>/``
(MEAD's layout). Landmarks are read as displacement from the subject's neutral face in
inter-ocular units (``Displacement``), the same normalisation the model applies at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..schema.channels import interocular
from ..schema.errors import RealtalkError


class EmotionDataError(RealtalkError):
    """Paired data cannot be used; the message names the path and the fix."""


@dataclass(frozen=True)
class Displacement:
    """Landmarks <-> displacement from a neutral face in inter-ocular units, flattened per frame."""

    neutral: np.ndarray     # (478, 3)

    @property
    def iod(self) -> float:
        return interocular(self.neutral)

    def encode(self, landmarks: np.ndarray) -> np.ndarray:
        """(T, 478, 3) -> (T, 1434) float32."""
        return ((np.asarray(landmarks, np.float64) - self.neutral) / self.iod).reshape(len(landmarks), -1) \
            .astype(np.float32)

    def decode(self, displacement: np.ndarray) -> np.ndarray:
        """(T, 1434) -> (T, 478, 3) float64."""
        return self.neutral + np.asarray(displacement, np.float64).reshape(len(displacement), -1, 3) * self.iod


@dataclass(frozen=True)
class Pair:
    neutral: str            # Take folder (kind "take") or dataset folder (kind "mead")
    emotional: str
    emotion: str
    speaker: str
    kind: str = "take"      #: "take": a synth pair, frame for frame; "mead": two recordings (``mead_pairs``)
    level: int = 0          #: MEAD's intensity level (1-3), for kind "mead"


def find_pairs(paths: Sequence[str | Path]) -> list[Pair]:
    """Every (neutral, emotional) pair under ``paths``: folders holding a synth corpus's ``pairs/``, or
    processed MEAD collections (``realtalk process mead``, with ``mead.json``)."""
    from .mead_pairs import COLLECTION, find_mead_pairs

    found: list[Pair] = []
    for raw in paths:
        root = Path(raw)
        if not root.is_dir():
            raise EmotionDataError(f"{root}: no such folder; pass `realtalk synth motion` corpora (with pairs/) "
                                   "or `realtalk process mead` collections")
        if (root / COLLECTION).is_file():
            found.extend(find_mead_pairs(root))
            continue
        pairs_root = root / "pairs" if (root / "pairs").is_dir() else root
        for take_json in sorted(pairs_root.glob("*/*/level_*/*/take.json")):
            folder = take_json.parent
            emotion, speaker = folder.parent.parent.name, folder.parent.parent.parent.name
            if emotion == "neutral":
                continue
            neutral = pairs_root / speaker / "neutral" / "level_1" / folder.name
            if (neutral / "take.json").is_file():
                found.append(Pair(str(neutral), str(folder), emotion, speaker))
    if not found:
        raise EmotionDataError(f"{', '.join(map(str, paths))}: holds no neutral/emotional pairs; make them with "
                               "`realtalk synth motion --pair-share 1`, or pass a `realtalk process mead` collection "
                               "that has neutral clips")
    return found


def load_pair(pair: Pair, displacement: Displacement) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(neutral displacement (T, D), emotional displacement (T, D), emotion mix (T, 8)). A synth pair is read
    against ``displacement`` (the training subject's neutral face); a MEAD pair against its speaker's own."""
    from ..schema import load_take

    if pair.kind == "mead":
        from .mead_pairs import load_mead_pair
        return load_mead_pair(pair)

    neutral, emotional = load_take(pair.neutral), load_take(pair.emotional)
    if neutral.frame_count != emotional.frame_count:
        raise EmotionDataError(f"{pair.emotional}: has {emotional.frame_count} frames but its neutral twin "
                               f"{pair.neutral} has {neutral.frame_count}; regenerate the corpus")
    return (displacement.encode(neutral.tracks.landmarks), displacement.encode(emotional.tracks.landmarks),
            emotional.tracks.emotion.astype(np.float32))


def fit_basis(samples: np.ndarray, components: int) -> tuple[np.ndarray, np.ndarray]:
    """PCA of (N, D) displacements about zero (the neutral face): (K, D) orthonormal rows, (K,) stds."""
    _, singular, vt = np.linalg.svd(np.asarray(samples, np.float64), full_matrices=False)
    k = min(components, len(singular))
    std = singular[:k] / np.sqrt(max(1, len(samples) - 1))
    return vt[:k].astype(np.float32), np.maximum(std, 1e-6).astype(np.float32)
