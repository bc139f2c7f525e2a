"""Phones to visemes: IPA from every language maps onto mouth shapes; ARKit targets are named channels."""

from __future__ import annotations

import pytest

from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES
from realtalk_core.synth.visemes import GROUPS, VISEMES, base_letters, visemes_of


@pytest.mark.parametrize("symbol, expected", [
    ("p", ["PP"]), ("b", ["PP"]), ("m", ["PP"]), ("f", ["FF"]), ("v", ["FF"]), ("θ", ["TH"]),
    ("ɑː", ["aa"]), ("æ", ["aa"]), ("uː", ["U"]), ("w", ["U"]), ("y", ["U"]), ("ɔ̃", ["O"]),
    ("tʃ", ["CH"]), ("pf", ["PP", "FF"]), ("aɪ", ["aa", "I"]), ("oʊ", ["O", "U"]), ("_", ["sil"]),
    ("ˈa", ["aa"]), ("ɚ", ["E", "RR"]), ("s", ["SS"]), ("ʁ", ["kk"]),
])
def test_phones_map_to_visemes(symbol, expected):
    assert [part.viseme for part in visemes_of(symbol)] == expected


def test_only_real_bilabials_seal_the_lips():
    assert all(visemes_of(s)[0].closure for s in ("p", "b", "m", "pː"))
    assert not any(visemes_of(s)[0].closure for s in ("β", "ɸ", "f", "w", "n"))
    assert visemes_of("pf")[0].closure and not visemes_of("pf")[1].closure


def test_diacritics_and_stress_are_ignored_for_the_shape():
    assert base_letters("ˈɛ̃ː") == "ɛ"
    assert visemes_of("ɐ̃")[0].viseme == visemes_of("ɐ")[0].viseme == "aa"


def test_targets_use_known_channels_inside_their_groups():
    grouped = {name for names in GROUPS.values() for name in names}
    for viseme in VISEMES.values():
        assert set(viseme.target) <= set(ARKIT_BLENDSHAPE_NAMES), viseme.name
        assert set(viseme.target) <= grouped, viseme.name
        assert all(0.0 <= value <= 1.0 for value in viseme.target.values())
    assert VISEMES["aa"].target["jawOpen"] > 3 * VISEMES["PP"].target["jawOpen"]
    assert VISEMES["U"].rounded and not VISEMES["I"].rounded
