"""Timed phones in IPA, and the symbol conventions shared by synthesis, alignment and labels.

A :class:`Phone` symbol is IPA with prosodic marks removed: stress (ˈ ˌ), half-length (ˑ),
syllabicity and non-syllabicity diacritics, tie bars and espeak's ASCII helper marks. The
length mark ``ː`` and phonemic diacritics such as nasalisation (``ɔ̃``) are kept. Pauses and
silences are ``"_"``.

CMU ARPAbet names (pocketsphinx, CMU ARCTIC labels) map onto the same symbols, following
espeak-ng's en-us choices where they differ from textbook IPA (``ɹ``, ``ɡ``, ``iː``, ``uː``,
``ɑː``, ``ɔː``, ``ɜː``), so phones from the three sources can be compared directly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

PAUSE = "_"

#: The 39 CMU dictionary phones (stress digits stripped) -> IPA symbols.
ARPABET_TO_IPA: Mapping[str, str] = MappingProxyType({
    "AA": "ɑː", "AE": "æ", "AH": "ʌ", "AO": "ɔː", "AW": "aʊ", "AY": "aɪ", "EH": "ɛ", "ER": "ɜː",
    "EY": "eɪ", "IH": "ɪ", "IY": "iː", "OW": "oʊ", "OY": "ɔɪ", "UH": "ʊ", "UW": "uː",
    "B": "b", "CH": "tʃ", "D": "d", "DH": "ð", "F": "f", "G": "ɡ", "HH": "h", "JH": "dʒ", "K": "k",
    "L": "l", "M": "m", "N": "n", "NG": "ŋ", "P": "p", "R": "ɹ", "S": "s", "SH": "ʃ", "T": "t",
    "TH": "θ", "V": "v", "W": "w", "Y": "j", "Z": "z", "ZH": "ʒ",
})

#: Names that mean "no speech": silences, pauses and pocketsphinx's noise and filler models.
_PAUSE_NAMES = frozenset({"SIL", "SP", "PAU", "SIL_", "<SIL>", "<S>", "</S>", "H#", "BRTH"})
#: Extra names used by some label sets, folded onto the 39 phones.
#: Schwa: ARPAbet's AX, and the CMU dictionary's unstressed AH0 (stressed AH is the open-mid /ʌ/; label
#: sets without stress digits, like pocketsphinx's, cannot tell them apart and give /ʌ/).
_SCHWAS = frozenset({"AX", "AH0"})
_ARPABET_ALIASES = MappingProxyType({"AXR": "ER", "IX": "IH", "EL": "L", "EM": "M", "EN": "N",
                                     "NX": "N", "DX": "T", "HV": "HH", "UX": "UW"})
#: Characters removed from IPA phone names: stress, half-length, syllabic and non-syllabic
#: marks, tie bars, and the ASCII helpers espeak-ng sometimes leaves in ("-", "'", ",", ...).
_STRIP = re.compile("[\u02c8\u02cc\u02d1\u0329\u030d\u032f\u0361\u035c\u203f'\",%=|#\\-]")


@dataclass(frozen=True)
class Phone:
    """One phone and when it is spoken."""

    symbol: str   #: IPA, prosodic marks stripped ("p", "aɪ", "uː", "ə"); pauses are "_"
    start: float  #: seconds from the start of the audio
    end: float    #: seconds

    @property
    def duration(self) -> float:
        return self.end - self.start


def normalize_ipa(name: str) -> str:
    """espeak-ng's IPA phoneme name -> our symbol ("ˈaɪ" -> "aɪ", "t͡ʃ" -> "tʃ", "" -> "_")."""
    text = unicodedata.normalize("NFC", name).replace(":", "ː").replace("g", "ɡ")
    text = _STRIP.sub("", text).strip()
    return text or PAUSE


def arpabet_to_ipa(name: str) -> str:
    """An ARPAbet phone ("AH0", "sh", "SIL", "+NSN+") -> IPA symbol; pauses and noises -> "_".

    Raises KeyError for a name that is neither a CMU phone nor a pause or noise.
    """
    upper = name.strip().upper()
    if upper.startswith("+") or upper in _PAUSE_NAMES or not upper:
        return PAUSE
    if upper in _SCHWAS:
        return "ə"
    base = upper.rstrip("012")
    base = _ARPABET_ALIASES.get(base, base)
    return ARPABET_TO_IPA[base]


def is_pause(phone: Phone | str) -> bool:
    """True for a pause or silence."""
    return (phone.symbol if isinstance(phone, Phone) else phone) == PAUSE


def merge_pauses(phones: list[Phone]) -> list[Phone]:
    """Join adjacent pauses into one; other phones are kept as they are."""
    merged: list[Phone] = []
    for phone in phones:
        if merged and is_pause(phone) and is_pause(merged[-1]):
            merged[-1] = Phone(PAUSE, merged[-1].start, max(merged[-1].end, phone.end))
        else:
            merged.append(phone)
    return merged
