"""Phones (IPA) -> visemes -> ARKit-52 targets.

A viseme is a mouth shape shared by several phones. Each viseme carries its ARKit target
(channels by name, rig weights), whether it rounds the lips, whether it needs a real lip
closure (/p b m/), and how strongly it holds each articulator group against its
neighbours (its *dominance*, used by :mod:`.coarticulation`).

Phones arrive as IPA strings (espeak-ng's IPA phoneme events, or pocketsphinx phones mapped
through ARPAbet). Diacritics, stress and length marks are ignored for the mouth shape; a
diphthong such as ``aɪ`` becomes two visemes sharing the phone's time; an affricate such as
``tʃ`` or ``pf`` takes the viseme of the part the lips show most.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

#: Articulator groups that coarticulate independently; each ARKit channel a viseme uses belongs to one.
GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "jaw": ("jawOpen",),
    "round": ("mouthPucker", "mouthFunnel"),
    "lips": ("mouthClose", "mouthPressLeft", "mouthPressRight", "mouthRollLower", "mouthRollUpper",
             "mouthLowerDownLeft", "mouthLowerDownRight", "mouthUpperUpLeft", "mouthUpperUpRight",
             "mouthStretchLeft", "mouthStretchRight", "mouthSmileLeft", "mouthSmileRight",
             "mouthShrugUpper", "mouthShrugLower"),
    "tongue": ("tongueOut",),
})
PAUSE = "_"


def _both(stem: str, value: float) -> dict[str, float]:
    return {f"{stem}Left": value, f"{stem}Right": value}


@dataclass(frozen=True)
class Viseme:
    """One mouth shape."""

    name: str
    #: ARKit channel -> rig weight at full articulation; channels not named are 0 (relaxed)
    target: Mapping[str, float]
    #: group -> dominance (0..1): how strongly this viseme holds the group against its neighbours
    dominance: Mapping[str, float]
    #: lips rounded: its rounding is anticipated across the consonants before it
    rounded: bool = False
    #: needs the lips sealed (bilabial stop or nasal)
    closure: bool = False
    #: a vowel: its jaw opening shrinks when the vowel is very short (undershoot)
    vowel: bool = False


def _v(name: str, target: Mapping[str, float], jaw: float, round_: float, lips: float, tongue: float = 0.2,
       **flags: bool) -> Viseme:
    return Viseme(name, MappingProxyType(dict(target)),
                  MappingProxyType({"jaw": jaw, "round": round_, "lips": lips, "tongue": tongue}), **flags)


VISEMES: Mapping[str, Viseme] = MappingProxyType({v.name: v for v in (
    # rest: jaw relaxed, lips lightly together
    _v("sil", {"mouthClose": 0.12}, jaw=0.5, round_=0.4, lips=0.5),
    # bilabials: sealed lips, slight press; the jaw barely opens
    _v("PP", {"jawOpen": 0.05, **_both("mouthPress", 0.35), "mouthRollLower": 0.1, "mouthRollUpper": 0.08},
       jaw=0.45, round_=0.25, lips=1.0, closure=True),
    # labiodentals: lower lip tucked up under the upper teeth
    _v("FF", {"jawOpen": 0.07, "mouthRollLower": 0.55, **_both("mouthUpperUp", 0.1), "mouthShrugLower": 0.15},
       jaw=0.5, round_=0.25, lips=1.0),
    # dentals: tongue tip between the teeth
    _v("TH", {"jawOpen": 0.12, "tongueOut": 0.3, **_both("mouthLowerDown", 0.1)},
       jaw=0.6, round_=0.15, lips=0.5, tongue=1.0),
    # alveolars (t d n l): jaw nearly closed, lips follow the neighbours
    _v("DD", {"jawOpen": 0.12, **_both("mouthLowerDown", 0.08)}, jaw=0.5, round_=0.05, lips=0.15),
    # velars and glottals (k g ŋ x h)
    _v("kk", {"jawOpen": 0.17, **_both("mouthStretch", 0.05)}, jaw=0.4, round_=0.05, lips=0.1),
    # postalveolars (ʃ ʒ tʃ dʒ): lips protruded and flared
    _v("CH", {"jawOpen": 0.08, "mouthFunnel": 0.4, "mouthPucker": 0.25, "mouthShrugUpper": 0.15},
       jaw=0.6, round_=0.8, lips=0.6, rounded=True),
    # sibilants (s z): teeth together, lips slightly spread
    _v("SS", {"jawOpen": 0.04, **_both("mouthStretch", 0.15), **_both("mouthSmile", 0.06)},
       jaw=0.8, round_=0.1, lips=0.4),
    # rhotics: lips slightly rounded
    _v("RR", {"jawOpen": 0.12, "mouthPucker": 0.3, "mouthFunnel": 0.2}, jaw=0.4, round_=0.55, lips=0.3,
       rounded=True),
    # open vowels (a ɑ æ): wide jaw
    _v("aa", {"jawOpen": 0.65, **_both("mouthLowerDown", 0.3), **_both("mouthUpperUp", 0.08)},
       jaw=1.0, round_=0.5, lips=0.7, vowel=True),
    # mid vowels (e ɛ ə ʌ)
    _v("E", {"jawOpen": 0.3, **_both("mouthLowerDown", 0.15), **_both("mouthStretch", 0.15)},
       jaw=0.9, round_=0.4, lips=0.6, vowel=True),
    # close front vowels (i ɪ j): spread lips
    _v("I", {"jawOpen": 0.13, **_both("mouthStretch", 0.3), **_both("mouthSmile", 0.15)},
       jaw=0.8, round_=0.4, lips=0.7, vowel=True),
    # rounded mid/open vowels (o ɔ ø œ)
    _v("O", {"jawOpen": 0.38, "mouthFunnel": 0.55, "mouthPucker": 0.2},
       jaw=0.9, round_=1.0, lips=0.7, rounded=True, vowel=True),
    # rounded close vowels (u ʊ w y)
    _v("U", {"jawOpen": 0.12, "mouthPucker": 0.75, "mouthFunnel": 0.3},
       jaw=0.8, round_=1.0, lips=0.7, rounded=True, vowel=True),
)})

#: Base IPA letter -> viseme. Letters not listed (rare) fall back to "kk"-like neutral consonant.
_LETTERS: Mapping[str, str] = MappingProxyType({
    **dict.fromkeys("pbmʙ", "PP"), **dict.fromkeys("ɸβ", "PP"),
    **dict.fromkeys("fvɱʋ", "FF"),
    **dict.fromkeys("θð", "TH"),
    **dict.fromkeys("tdnlɾɫɬɮɗʈɖɳɭʎ", "DD"),
    **dict.fromkeys("kgɡŋxɣqɢχʁhɦʔçʝɲ", "kk"),
    **dict.fromkeys("ʃʒɕʑʂʐ", "CH"),
    **dict.fromkeys("sz", "SS"),
    **dict.fromkeys("ɹrʀɻɚɝ", "RR"),
    **dict.fromkeys("aɑæɐäɶ", "aa"),
    **dict.fromkeys("eɛəɜʌᵻɘɤ", "E"),
    **dict.fromkeys("iɪjɨ", "I"),
    **dict.fromkeys("oɔɒɵøœ", "O"),
    **dict.fromkeys("uʊwɯʉɥyʏ", "U"),
})
#: Bilabials that really seal the lips (β and ɸ only approach each other).
CLOSING_LETTERS = frozenset("pbm")
#: Multi-letter phones handled as one unit before splitting: affricates and r-coloured vowels.
_UNITS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "tʃ": ("CH",), "dʒ": ("CH",), "ts": ("SS",), "dz": ("SS",), "pf": ("PP", "FF"),
    "ɚ": ("E", "RR"), "ɝ": ("E", "RR"),
})
_VOWEL_VISEMES = frozenset(name for name, v in VISEMES.items() if v.vowel)


def base_letters(symbol: str) -> str:
    """``symbol`` without stress, length, tie bars or combining diacritics (nasal tilde, syllabic mark...)."""
    decomposed = unicodedata.normalize("NFD", symbol)
    kept = [c for c in decomposed if unicodedata.category(c) != "Mn" and c not in "ˈˌːˑ‿͡-'\"%=,.0123456789ʰʲʷˠˤ̃"]
    return "".join(kept)


@dataclass(frozen=True)
class VisemePart:
    """A share of one phone's time shown as one viseme."""

    viseme: str
    share: float = 1.0    #: fraction of the phone's duration
    closure: bool = False  #: a bilabial that must seal the lips


def visemes_of(symbol: str) -> tuple[VisemePart, ...]:
    """The viseme(s) of one IPA phone, in time order. Pauses and empty symbols give ``sil``."""
    letters = base_letters(symbol)
    if not letters or letters == PAUSE or set(letters) <= {"_", " "}:
        return (VisemePart("sil"),)
    if letters in _UNITS:
        names = _UNITS[letters]
        return tuple(VisemePart(n, 1.0 / len(names), closure=(n == "PP" and letters[0] in CLOSING_LETTERS))
                     for n in names)
    parts = [(_LETTERS.get(c, "kk"), c) for c in letters if c in _LETTERS or c.isalpha()]
    if not parts:
        return (VisemePart("sil"),)
    vowels = [p for p in parts if p[0] in _VOWEL_VISEMES]
    if len(vowels) >= 2 and len(vowels) == len(parts):   # diphthong / triphthong: glide through
        shares = [0.6] + [0.4 / (len(parts) - 1)] * (len(parts) - 1)
        return tuple(VisemePart(v, s) for (v, _), s in zip(parts, shares))
    # a consonant cluster in one symbol (rare): the most visible part wins (lips over tongue)
    order = ("PP", "FF", "CH", "U", "O", "TH", "RR", "SS", "aa", "E", "I", "DD", "kk")
    name, letter = min(parts, key=lambda p: order.index(p[0]))
    return (VisemePart(name, closure=(letter in CLOSING_LETTERS)),)


@dataclass(frozen=True)
class VisemeTable:
    """The viseme set in use; a config object so that experiments can swap targets without globals."""

    visemes: Mapping[str, Viseme] = field(default_factory=lambda: VISEMES)

    def __getitem__(self, name: str) -> Viseme:
        return self.visemes[name]
