"""Compare two timed phone sequences: map to comparable symbols, align them, measure onset errors.

Different sources spell one sound differently (espeak's unstressed "ə" against CMU's "AH" = "ʌ",
the flap "ɾ" against "t", an r-coloured "ɑːɹ" against "ɑː" + "ɹ"). :func:`comparable` folds
those onto one key; :func:`match_phones` aligns the two sequences in order (edit distance, pauses
ignored) and returns the pairs whose keys agree.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .phones import Phone, is_pause

_FOLD = {"ə": "ʌ", "ɐ": "ʌ", "ɜ": "ɜ", "ɚ": "ɜ", "ɝ": "ɜ", "ɾ": "t", "ʔ": "t", "r": "ɹ", "ᵻ": "ɪ", "ɒ": "ɑ",
         "əʊ": "oʊ", "o": "oʊ", "ɛə": "ɛ", "ɫ": "l", "g": "ɡ", "n̩": "n", "l̩": "l", "m̩": "m"}


def comparable(symbol: str) -> str:
    """A coarse key for cross-source matching: length dropped, schwas, flaps and r-colouring folded."""
    key = symbol.replace("ː", "")
    if len(key) > 1 and key.endswith("ɹ"):
        key = key[:-1]                 # r-coloured vowel: its onset is the vowel's
    return _FOLD.get(key, key)


def match_phones(reference: Sequence[Phone], hypothesis: Sequence[Phone],
                 substitutions: bool = False) -> list[tuple[Phone, Phone]]:
    """Pairs (reference phone, hypothesis phone) aligned in order, pauses left out.

    Levenshtein alignment on :func:`comparable` keys; only pairs with equal keys are returned
    unless ``substitutions`` is set.
    """
    ref = [p for p in reference if not is_pause(p)]
    hyp = [p for p in hypothesis if not is_pause(p)]
    a, b = [comparable(p.symbol) for p in ref], [comparable(p.symbol) for p in hyp]
    cost = np.zeros((len(a) + 1, len(b) + 1), dtype=np.int64)    # (R+1, H+1)
    cost[:, 0] = np.arange(len(a) + 1)
    cost[0, :] = np.arange(len(b) + 1)
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost[i, j] = min(cost[i - 1, j - 1] + (a[i - 1] != b[j - 1]), cost[i - 1, j] + 1, cost[i, j - 1] + 1)
    pairs: list[tuple[Phone, Phone]] = []
    i, j = len(a), len(b)
    while i > 0 and j > 0:
        if cost[i, j] == cost[i - 1, j - 1] + (a[i - 1] != b[j - 1]):
            if a[i - 1] == b[j - 1] or substitutions:
                pairs.append((ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif cost[i, j] == cost[i - 1, j] + 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def onset_errors(reference: Sequence[Phone], hypothesis: Sequence[Phone], substitutions: bool = False) -> np.ndarray:
    """|onset difference| in seconds for each matched pair, (M,) float64."""
    pairs = match_phones(reference, hypothesis, substitutions)
    return np.array([abs(r.start - h.start) for r, h in pairs], dtype=np.float64)
