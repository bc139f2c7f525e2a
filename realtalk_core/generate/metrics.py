"""Measures of generated motion against phones and ground truth (numpy only).

Every distance is in inter-ocular units (the 68-point outer eye corners of the subject's
neutral face), so figures compare across subjects and scales.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..schema.channels import LANDMARK_GROUPS, LANDMARKS_68

#: MediaPipe ids of the inner-lip midpoints (upper, lower).
INNER_LIP_MID = (13, 14)
#: Landmarks that speech should not move: brows, nose and the rigid set (temples, nose bridge...).
IDENTITY_POINTS: tuple[int, ...] = tuple(sorted(set(LANDMARK_GROUPS["brows"]) | set(LANDMARK_GROUPS["nose"])
                                               | set(LANDMARK_GROUPS["rigid"])))
BILABIALS = frozenset({"p", "b", "m"})
#: Open and near-open vowels (IPA height), and the diphthongs that start there. Not the open-mid /ʌ ɔ/:
#: ARPAbet labels without stress digits (pocketsphinx's) write every schwa as AH, read as /ʌ/, so
#: counting /ʌ/ would count the most reduced vowel of English as an open one.
OPEN_VOWELS = frozenset({"a", "aː", "ɑ", "ɑː", "æ", "ɐ", "ɒ", "aɪ", "aʊ"})
#: The set used up to 2026-11-21 (with /ʌ ɔ/), kept so results can be compared.
OPEN_VOWELS_WITH_MID = OPEN_VOWELS | {"ʌ", "ɔ"}
#: A mouth counts as closed when its inner-lip gap is below this share of the inter-ocular distance.
CLOSED_GAP = 0.02


def mouth_opening(landmarks: np.ndarray, iod: float) -> np.ndarray:
    """(T, 478, 3) -> (T,) distance between the inner-lip midpoints, in inter-ocular units."""
    upper, lower = INNER_LIP_MID
    return np.linalg.norm(landmarks[:, upper] - landmarks[:, lower], axis=1) / iod


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.std() < 1e-12 or b.std() < 1e-12:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def phone_mid_frames(phones: Sequence, fps: float, frames: int, symbols: frozenset[str]) -> np.ndarray:
    """Frame nearest the middle of each phone whose symbol is in ``symbols``."""
    mids = [0.5 * (p.start + p.end) for p in phones if p.symbol in symbols]
    return np.clip(np.round(np.array(mids, np.float64) * fps).astype(np.int64), 0, max(0, frames - 1))


@dataclass(frozen=True)
class ClosureScore:
    closed: int
    total: int

    @property
    def rate(self) -> float:
        return self.closed / self.total if self.total else float("nan")


def bilabial_closure(gap: np.ndarray, phones: Sequence, fps: float, iod: float, reach: int = 1) -> ClosureScore:
    """How many /p b m/ show a closed mouth (lip gap < CLOSED_GAP) at their middle.

    ``gap`` is the (T,) inner-lip gap in metres (``synth.closure.lip_gap``). "At the middle" is the
    frame nearest the phone's middle or up to ``reach`` frames either side: at 25 fps a frame
    lasts 40 ms while a /p/ or /b/ often lasts 20-40 ms, and its closure comes just before the
    burst, so a single frame would miss even exact ground truth (it does for ~40% of espeak's stops).
    """
    frames = phone_mid_frames(phones, fps, len(gap), BILABIALS)
    closed = gap < CLOSED_GAP * iod
    hits = sum(bool(closed[max(0, f - reach): f + reach + 1].any()) for f in frames)
    return ClosureScore(int(hits), int(len(frames)))


def jaw_ratio(jaw_open: np.ndarray, phones: Sequence, fps: float, open_vowels: frozenset[str] = OPEN_VOWELS) -> float:
    """Mean jawOpen at open-vowel middles over the mean at bilabial middles."""
    vowels = phone_mid_frames(phones, fps, len(jaw_open), open_vowels)
    lips = phone_mid_frames(phones, fps, len(jaw_open), BILABIALS)
    if len(vowels) == 0 or len(lips) == 0:
        return float("nan")
    return float(jaw_open[vowels].mean() / max(jaw_open[lips].mean(), 1e-3))


def identity_drift(landmarks: np.ndarray, neutral: np.ndarray, iod: float) -> float:
    """Mean distance of the identity points from the neutral face, in inter-ocular units."""
    index = np.array(IDENTITY_POINTS)
    return float(np.linalg.norm(landmarks[:, index] - neutral[index], axis=-1).mean() / iod)


def jitter(landmarks: np.ndarray, iod: float) -> float:
    """Mean absolute second difference of all landmark coordinates, in inter-ocular units."""
    if len(landmarks) < 3:
        return 0.0
    return float(np.abs(np.diff(landmarks, n=2, axis=0)).mean() / iod)


def landmark_distance(generated: np.ndarray, truth: np.ndarray, iod: float, mouth_only: bool) -> float:
    """Mean 68-point landmark distance (LMD) in inter-ocular units; ``mouth_only`` uses points 48-67."""
    subset = np.array(LANDMARKS_68[48:] if mouth_only else LANDMARKS_68)
    return float(np.linalg.norm(generated[:, subset] - truth[:, subset], axis=-1).mean() / iod)
