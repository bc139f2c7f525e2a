"""espeak-ng voices: a typed voice description, the languages and variants we verified, sampling.

A :class:`VoiceSpec` is plain data (JSON round-trip) so that a generated corpus can record which
voice spoke each sentence. Validation happens on construction; a bad value raises
:class:`VoiceError` with one line naming the field and the allowed range.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from types import MappingProxyType
from typing import Any, Mapping, Sequence

import numpy as np

from ..schema.errors import RealtalkError


class VoiceError(RealtalkError):
    """A voice description is invalid or espeak-ng does not know it."""


@dataclass(frozen=True)
class Language:
    """A language we synthesize, checked to give audio and phoneme events."""

    code: str           #: our code (BCP-47 style, lower case): "en-us", "en-gb", "pt-br"
    espeak_voice: str   #: espeak-ng voice file name that speaks it ("en" is British English)
    name: str           #: English name, for menus


#: Languages verified with espeak-ng 1.51 (Debian) and 1.52 (espeakng-loader): synthesis works,
#: phoneme events arrive with IPA names, and the phones tile the audio (see tests).
LANGUAGES: Mapping[str, Language] = MappingProxyType({lang.code: lang for lang in (
    Language("en-us", "en-us", "English (America)"),
    Language("en-gb", "en", "English (Great Britain)"),
    Language("es", "es", "Spanish (Spain)"),
    Language("fr", "fr", "French (France)"),
    Language("de", "de", "German"),
    Language("it", "it", "Italian"),
    Language("pt-br", "pt-br", "Portuguese (Brazil)"),
)})

#: espeak-ng voice variants (files in espeak-ng-data/voices/!v) by perceived sex. The numbered
#: ones change pitch, formants and breathiness only, so every language keeps its phonology.
VARIANTS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "male": ("m1", "m2", "m3", "m4", "m5", "m6", "m7"),
    "female": ("f1", "f2", "f3", "f4", "f5"),
})

#: Inclusive limits of each numeric field (espeak-ng's own limits, narrowed where it misbehaves).
LIMITS: Mapping[str, tuple[int, int]] = MappingProxyType({
    "pitch": (0, 100), "pitch_range": (0, 100), "rate": (80, 450), "volume": (0, 200),
})

_NAME = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_VARIANT = re.compile(r"^[A-Za-z0-9_]{1,32}$")


@dataclass(frozen=True)
class VoiceSpec:
    """What espeak-ng should sound like for one utterance."""

    language: str = "en-us"        #: a key of LANGUAGES, or any espeak-ng voice file name
    variant: str | None = None     #: espeak-ng variant ("m3", "f2"); None for the language's default voice
    pitch: int = 50                #: base pitch, 0-100 (50 is the voice's own)
    pitch_range: int = 50          #: intonation range, 0-100 (0 is monotone)
    rate: int = 160                #: speaking rate in words per minute, 80-450
    volume: int = 100              #: amplitude, 0-200 (100 is normal)

    def __post_init__(self) -> None:
        if not isinstance(self.language, str) or not _NAME.match(self.language):
            raise VoiceError(f"voice language {self.language!r} is not a language code like 'en-us'; "
                             f"use one of {', '.join(LANGUAGES)}")
        if self.variant is not None and (not isinstance(self.variant, str) or not _VARIANT.match(self.variant)):
            raise VoiceError(f"voice variant {self.variant!r} is not a variant name like 'm3' or 'f2'")
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise VoiceError(f"voice {name} {value!r} must be an integer from {low} to {high}")

    @property
    def espeak_name(self) -> str:
        """The name espeak_SetVoiceByName takes: "en-us+f2" (British English is espeak's "en")."""
        known = LANGUAGES.get(self.language)
        base = known.espeak_voice if known else self.language
        return f"{base}+{self.variant}" if self.variant else base

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "VoiceSpec":
        if not isinstance(data, Mapping):
            raise VoiceError(f"voice must be a JSON object, not {type(data).__name__}")
        unknown = sorted(set(data) - {f.name for f in fields(cls)})
        if unknown:
            raise VoiceError(f"voice has unknown field(s) {', '.join(unknown)}; "
                             f"allowed: {', '.join(f.name for f in fields(cls))}")
        return cls(**dict(data))

    @classmethod
    def from_json(cls, text: str) -> "VoiceSpec":
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as err:
            raise VoiceError(f"voice is not valid JSON ({err})") from None
        return cls.from_dict(data)


@dataclass(frozen=True)
class VoiceSampling:
    """Natural ranges that :func:`sample_voice` draws from (inclusive integer bounds)."""

    pitch: tuple[int, int] = (30, 70)          #: around each variant's own pitch
    pitch_range: tuple[int, int] = (35, 80)    #: never monotone, never sing-song
    rate: tuple[int, int] = (130, 200)         #: conversational words per minute
    volume: tuple[int, int] = (80, 120)
    female_share: float = 0.5                  #: probability of a female variant
    variants: tuple[str, ...] = ()             #: allowed variants (empty: all); e.g. to hold voices out


def sample_voice(rng: np.random.Generator, languages: Sequence[str],
                 sampling: VoiceSampling = VoiceSampling()) -> VoiceSpec:
    """A random natural voice in one of ``languages``; the same rng state gives the same voice."""
    if not languages:
        raise VoiceError("sample_voice needs at least one language; use keys of LANGUAGES")
    language = str(languages[int(rng.integers(len(languages)))])
    sex = "female" if rng.random() < sampling.female_share else "male"
    choices = VARIANTS[sex]
    if sampling.variants:
        allowed = [v for v in choices if v in sampling.variants]
        other = VARIANTS["male" if sex == "female" else "female"]
        choices = tuple(allowed or [v for v in other if v in sampling.variants])
        if not choices:
            raise VoiceError(f"no voice variant among {sampling.variants}; known: "
                             f"{', '.join(VARIANTS['male'] + VARIANTS['female'])}")
    variant = choices[int(rng.integers(len(choices)))]

    def draw(bounds: tuple[int, int]) -> int:
        return int(rng.integers(bounds[0], bounds[1] + 1))

    return VoiceSpec(language=language, variant=variant, pitch=draw(sampling.pitch),
                     pitch_range=draw(sampling.pitch_range), rate=draw(sampling.rate),
                     volume=draw(sampling.volume))
