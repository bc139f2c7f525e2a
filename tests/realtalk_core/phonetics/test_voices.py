"""VoiceSpec validation and JSON, the language and variant catalogues, voice sampling."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.phonetics.voices import LANGUAGES, LIMITS, VARIANTS, VoiceError, VoiceSampling, VoiceSpec, \
    sample_voice
from realtalk_core.schema.errors import RealtalkError


def test_espeak_names():
    assert VoiceSpec().espeak_name == "en-us"
    assert VoiceSpec("en-us", "f2").espeak_name == "en-us+f2"
    assert VoiceSpec("en-gb", "m3").espeak_name == "en+m3"       # espeak's British English voice is "en"
    assert VoiceSpec("pt-br").espeak_name == "pt-br"


def test_catalogues():
    assert {"en-us", "en-gb"} <= set(LANGUAGES) and len(LANGUAGES) >= 6
    assert VARIANTS["male"] and VARIANTS["female"] and not set(VARIANTS["male"]) & set(VARIANTS["female"])


def test_json_round_trip():
    voice = VoiceSpec("fr", "f3", pitch=61, pitch_range=40, rate=150, volume=90)
    assert VoiceSpec.from_json(voice.to_json()) == voice


@pytest.mark.parametrize("kwargs, message", [
    ({"pitch": 101}, "voice pitch 101 must be an integer from 0 to 100"),
    ({"rate": 20}, "voice rate 20 must be an integer from 80 to 450"),
    ({"volume": 1.5}, "voice volume 1.5 must be an integer"),
    ({"pitch_range": True}, "voice pitch_range True must be an integer"),
    ({"language": "English!"}, "is not a language code"),
    ({"variant": "../etc/passwd"}, "is not a variant name"),
])
def test_invalid_voices_raise_one_line(kwargs, message):
    with pytest.raises(RealtalkError, match=message) as info:
        VoiceSpec(**kwargs)
    assert "\n" not in str(info.value)


def test_from_json_errors():
    with pytest.raises(VoiceError, match="not valid JSON"):
        VoiceSpec.from_json("{")
    with pytest.raises(VoiceError, match="unknown field.*speed"):
        VoiceSpec.from_json('{"speed": 3}')
    with pytest.raises(VoiceError, match="must be a JSON object"):
        VoiceSpec.from_json("[1]")


def test_sample_voice_is_deterministic_and_natural():
    languages = ["en-us", "de", "es"]
    first = [sample_voice(np.random.default_rng(7), languages) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    rng = np.random.default_rng(0)
    voices = [sample_voice(rng, languages) for _ in range(200)]
    limits = VoiceSampling()
    assert {v.language for v in voices} == set(languages)
    assert any(v.variant in VARIANTS["male"] for v in voices) and any(v.variant in VARIANTS["female"] for v in voices)
    for field in LIMITS:
        values = [getattr(v, field) for v in voices]
        low, high = getattr(limits, field)
        assert low <= min(values) and max(values) <= high and len(set(values)) > 5, field


def test_sample_voice_needs_a_language():
    with pytest.raises(VoiceError, match="at least one language"):
        sample_voice(np.random.default_rng(0), [])
