"""Phone symbols: ARPAbet -> IPA, espeak-ng IPA normalisation, pause merging."""

from __future__ import annotations

import pytest

from realtalk_core.phonetics.phones import ARPABET_TO_IPA, PAUSE, Phone, arpabet_to_ipa, merge_pauses, normalize_ipa


def test_the_39_cmu_phones_map_to_distinct_ipa():
    assert len(ARPABET_TO_IPA) == 39
    assert len(set(ARPABET_TO_IPA.values())) == 39
    assert {ARPABET_TO_IPA[k] for k in ("P", "B", "M", "F", "V")} == {"p", "b", "m", "f", "v"}


@pytest.mark.parametrize("name, symbol", [
    ("AH0", "ə"), ("AH1", "ʌ"), ("AH", "ʌ"), ("iy1", "iː"), ("UW2", "uː"), ("R", "ɹ"), ("G", "ɡ"), ("CH", "tʃ"), ("ax", "ə"), ("pau", PAUSE),
    ("SIL", PAUSE), ("sil", PAUSE), ("+NSN+", PAUSE), ("+SPN+", PAUSE), ("<sil>", PAUSE), ("", PAUSE),
])
def test_arpabet_names(name, symbol):
    assert arpabet_to_ipa(name) == symbol


def test_unknown_arpabet_raises():
    with pytest.raises(KeyError):
        arpabet_to_ipa("QX")


@pytest.mark.parametrize("raw, symbol", [
    ("ˈaɪ", "aɪ"), ("ˌoʊ", "oʊ"), ("ˈɑː", "ɑː"), ("uː", "uː"), ("ə-", "ə"), ("t͡ʃ", "tʃ"), ("n̩", "n"),
    ("ɔ̃", "ɔ̃"), ("ˈɐ̃ʊ", "ɐ̃ʊ"), ("a:", "aː"), ("g", "ɡ"), ("", PAUSE), ("ˈ", PAUSE), ("eˑ", "e"),
])
def test_espeak_names_are_normalised(raw, symbol):
    assert normalize_ipa(raw) == symbol


def test_adjacent_pauses_merge():
    phones = [Phone(PAUSE, 0, 0.1), Phone(PAUSE, 0.1, 0.2), Phone("p", 0.2, 0.3), Phone(PAUSE, 0.3, 0.4)]
    assert merge_pauses(phones) == [Phone(PAUSE, 0, 0.2), Phone("p", 0.2, 0.3), Phone(PAUSE, 0.3, 0.4)]
    assert Phone("p", 0.2, 0.35).duration == pytest.approx(0.15)
