"""Cross-source phone matching and onset errors."""

from __future__ import annotations

import pytest

from realtalk_core.phonetics.compare import comparable, match_phones, onset_errors
from realtalk_core.phonetics.phones import PAUSE, Phone


def _phones(spec: str, step: float = 0.1, offset: float = 0.0) -> list[Phone]:
    return [Phone(s, offset + k * step, offset + (k + 1) * step) for k, s in enumerate(spec.split())]


def test_comparable_folds_spellings_of_one_sound():
    assert comparable("ə") == comparable("ʌ")
    assert comparable("ɚ") == comparable("ɜː")
    assert comparable("ɑːɹ") == comparable("ɑː")
    assert comparable("ɾ") == "t"
    assert comparable("p") != comparable("b")


def test_matching_skips_pauses_and_insertions():
    ref = _phones("_ b ɑː b _ m ɛ t")
    hyp = _phones("b ɑː ɹ b m ɛ d", offset=0.02)
    pairs = match_phones(ref, hyp)
    assert [r.symbol for r, _ in pairs] == ["b", "ɑː", "b", "m", "ɛ"]
    assert [h.symbol for _, h in pairs] == ["b", "ɑː", "b", "m", "ɛ"]
    assert len(match_phones(ref, hyp, substitutions=True)) == 6
    assert PAUSE not in {r.symbol for r, _ in pairs}


def test_onset_errors_measure_the_shift():
    ref = _phones("p ɔː f")
    errors = onset_errors(ref, _phones("p ɔː f", offset=0.015))
    assert errors.tolist() == pytest.approx([0.015] * 3)
    assert onset_errors(ref, []).size == 0
