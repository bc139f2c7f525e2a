"""MEAD pairs for the emotion LDM: a speaker's emotional clip and their neutral clip of the same sentence.

``realtalk process mead`` writes one dataset per clip and ``mead.json``, which pairs each emotional
clip with the neutral clip of the same sentence number. Unlike synth pairs, the two are separate
recordings: different lengths, different timing. So a pair is lined up first:

1. **Time.** Dynamic time warping on the two clips' audio features (the same sentence said twice)
   maps every emotional frame to a neutral frame; the neutral landmarks are resampled on that path,
   so the model sees the same speech moment neutral and emotional.
2. **Identity.** Landmarks become displacement from the *speaker's own* neutral face (the median of
   the calmest fifth of their neutral clip's frames) in inter-ocular units, the normalisation the
   model applies to any subject at run time.
3. **Label.** The clip's emotion at MEAD's level: 1, 2, 3 -> 0.33, 0.66, 1.0 (the synth pairs' levels).

Frames without a face are filled from their nearest tracked neighbours; a clip tracked on fewer than
``MIN_VALID`` of its frames is refused with a message naming it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from ..schema.channels import EMOTION_NAMES
from .data import Displacement, EmotionDataError, Pair

COLLECTION = "mead.json"
LEVELS = {1: 0.33, 2: 0.66, 3: 1.0}
MIN_VALID = 0.8
_CLIP_ID = re.compile(r"^[a-z]+_level_\d+_\d{3}$")


def find_mead_pairs(root: Path) -> list[Pair]:
    """The (neutral, emotional) pairs a processed MEAD collection lists."""
    path = Path(root) / COLLECTION
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        clips, speaker = collection["clips"], str(collection["speaker"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise EmotionDataError(f"{path}: not a readable MEAD collection ({error}); re-run `realtalk process mead`") \
            from None
    pairs = []
    for clip in clips:
        neutral_id, clip_id = clip.get("neutral_pair"), clip.get("id")
        if not neutral_id or clip.get("emotion") not in EMOTION_NAMES or clip.get("level") not in LEVELS:
            continue
        if not (_CLIP_ID.match(str(clip_id)) and _CLIP_ID.match(str(neutral_id))):   # ids name folders: no paths
            raise EmotionDataError(f"{path}: clip id {clip_id!r} or {neutral_id!r} is not a MEAD clip id")
        pairs.append(Pair(str(Path(root) / "clips" / neutral_id), str(Path(root) / "clips" / clip_id),
                          str(clip["emotion"]), speaker, kind="mead", level=int(clip["level"])))
    return pairs


def warp_path(reference: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Dynamic time warping of ``query`` (Tq, F) onto ``reference`` (Tr, F): for each query frame, the
    reference frame it lines up with (Tq,), monotone, first to first and last to last."""
    cost = np.linalg.norm(query[:, None, :] - reference[None, :, :], axis=-1)          # (Tq, Tr)
    total = np.full((len(query) + 1, len(reference) + 1), np.inf)
    total[0, 0] = 0.0
    for i in range(1, len(query) + 1):
        row, above = total[i], total[i - 1]
        step = np.minimum(above[1:], above[:-1])                                        # from (i-1, j), (i-1, j-1)
        for j in range(1, len(reference) + 1):
            row[j] = cost[i - 1, j - 1] + min(step[j - 1], row[j - 1])                 # or from (i, j-1)
    i, j = len(query), len(reference)
    match = np.zeros(len(query), np.int64)
    while i > 0:
        match[i - 1] = j - 1
        moves = (total[i - 1, j - 1], total[i - 1, j], total[i, j - 1] if j > 1 else np.inf)
        best = int(np.argmin(moves))
        i, j = (i - 1, j - 1) if best == 0 else ((i - 1, j) if best == 1 else (i, j - 1))
        j = max(j, 1)
    return match


def _tracked(dataset, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Head-frame landmarks with untracked frames filled from the nearest tracked one, and the audio features."""
    valid = dataset.tracks["valid"].astype(bool)
    if valid.mean() < MIN_VALID:
        raise EmotionDataError(f"{dataset.root}: a face was tracked on only {valid.mean():.0%} of the frames; "
                               f"leave this {name} clip out or re-record it")
    if "audio_features" not in dataset.tracks:
        raise EmotionDataError(f"{dataset.root}: has no audio features, so it cannot be lined up with its pair; "
                               "process the clip with its sound (MEAD's .m4a)")
    landmarks = dataset.tracks["landmarks"].astype(np.float64)
    good = np.flatnonzero(valid)
    nearest = good[np.clip(np.searchsorted(good, np.arange(len(valid))), 0, len(good) - 1)]
    return landmarks[nearest], dataset.tracks["audio_features"].astype(np.float64)


def calm_face(landmarks: np.ndarray) -> np.ndarray:
    """(478, 3) the median of the fifth of the frames that move least from the clip's median."""
    centre = np.median(landmarks, axis=0)
    amount = np.linalg.norm(landmarks - centre, axis=(1, 2))
    return np.median(landmarks[amount <= np.percentile(amount, 20)], axis=0)


def load_mead_pair(pair: Pair) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(neutral displacement warped to the emotional clip's time (T, D), emotional displacement (T, D),
    emotion mix (T, 8)), T the emotional clip's frames."""
    from ..process import ProcessError, load_dataset

    try:
        neutral, emotional = load_dataset(pair.neutral), load_dataset(pair.emotional)
    except ProcessError as error:
        raise EmotionDataError(str(error)) from None
    neutral_landmarks, neutral_audio = _tracked(neutral, "neutral")
    emotional_landmarks, emotional_audio = _tracked(emotional, "emotional")
    if neutral_audio.shape[1] != emotional_audio.shape[1]:
        raise EmotionDataError(f"{pair.emotional}: its audio features differ from {pair.neutral}'s; re-run "
                               "`realtalk process mead` on both")
    match = warp_path(neutral_audio, emotional_audio)
    space = Displacement(calm_face(neutral_landmarks))
    mix = np.zeros((len(emotional_landmarks), len(EMOTION_NAMES)), np.float32)
    level = LEVELS[pair.level]
    mix[:, EMOTION_NAMES.index(pair.emotion)] = level
    mix[:, EMOTION_NAMES.index("neutral")] += 1.0 - level
    return space.encode(neutral_landmarks[match]), space.encode(emotional_landmarks), mix
