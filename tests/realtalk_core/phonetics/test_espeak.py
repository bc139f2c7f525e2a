"""espeak-ng synthesis through ctypes: audio, phone timing, determinism, voices, errors."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from realtalk_core.phonetics.espeak import EspeakError, phones_from_events, synthesize, write_wav
from realtalk_core.phonetics.phones import PAUSE, Phone
from realtalk_core.phonetics.voices import LANGUAGES, VoiceError, VoiceSpec
from realtalk_core.schema.errors import RealtalkError

#: A short sentence per language and phones espeak-ng must speak in it.
SAMPLES = {
    "en-us": ("Pop, Bob met five wolves.", {"p", "b", "m", "f", "v", "ɑː", "aɪ", "ʊ"}),
    "en-gb": ("Pop, Bob met five wolves.", {"p", "b", "m", "f", "v", "ɒ", "aɪ", "ʊ"}),
    "es": ("Bruno bebe vino, pan y fruta en el mercado.", {"b", "β", "p", "m", "f", "o", "u", "a"}),
    "fr": ("Papa boit un verre de vin au bord du pont.", {"p", "b", "v", "ʁ", "ɔ̃", "o", "y"}),
    "de": ("Paul möchte vier Brote am Montag.", {"p", "b", "m", "f", "œ", "oː", "aʊ"}),
    "it": ("Paolo beve vino buono al mare.", {"p", "b", "m", "v", "o", "a", "ɔ"}),
    "pt-br": ("O povo bebe vinho com pão.", {"p", "b", "v", "o", "k"}),
}


def _check_tiling(phones: tuple[Phone, ...], duration: float) -> None:
    assert phones[0].start == 0.0
    assert phones[-1].end == pytest.approx(duration, abs=1e-9)
    for before, after in zip(phones, phones[1:]):
        assert before.end == pytest.approx(after.start, abs=1e-9)
        assert after.end > after.start


def test_every_language_in_the_catalogue_has_a_sample():
    assert set(SAMPLES) == set(LANGUAGES)


@pytest.mark.parametrize("language", list(SAMPLES))
def test_each_language_speaks_with_timed_phones(language):
    text, expected = SAMPLES[language]
    utterance = synthesize(text, VoiceSpec(language=language))
    assert utterance.sample_rate == 22050 and utterance.samples.dtype == np.float32
    assert 0.5 < utterance.duration < 6.0
    assert np.abs(utterance.samples).max() > 0.05 and np.abs(utterance.samples).max() <= 1.0
    _check_tiling(utterance.phones, utterance.duration)
    symbols = {p.symbol for p in utterance.phones}
    assert expected <= symbols, expected - symbols
    assert not any(mark in p.symbol for p in utterance.phones for mark in "ˈˌ-")
    if language in ("fr", "pt-br"):                     # nasal vowels keep their tilde ("ɔ̃", "ɐ̃ʊ")
        assert any("\u0303" in symbol for symbol in symbols)
    speech = sum(p.duration for p in utterance.phones if p.symbol != PAUSE)
    assert speech > 0.5 * utterance.duration


def test_phones_match_the_audio_energy():
    """Pauses are quiet and phones are where the sound is."""
    utterance = synthesize("Bob, stop. Maybe move five boxes.", VoiceSpec())
    rms = []
    for phone in utterance.phones:
        lo, hi = int(phone.start * 22050), int(phone.end * 22050)
        rms.append((phone.symbol, float(np.sqrt(np.mean(utterance.samples[lo:hi] ** 2)))))
    long_pauses = [r for s, r in rms if s == PAUSE]
    vowels = [r for s, r in rms if s in {"ɑː", "eɪ", "uː", "aɪ", "ɑ"}]
    assert long_pauses and vowels
    assert max(long_pauses) < 0.2 * np.median(vowels)


def test_same_text_and_voice_give_identical_samples():
    voice = VoiceSpec("en-us", "f2", pitch=55, rate=170)
    first = synthesize("Pam moved the purple boat.", voice)
    synthesize("Something else in between.", VoiceSpec("de", "m3"))
    second = synthesize("Pam moved the purple boat.", voice)
    assert np.array_equal(first.samples, second.samples)
    assert first.phones == second.phones


def _median_f0(samples: np.ndarray, rate: int) -> float:
    """Median pitch (Hz) over loud 40 ms frames, by autocorrelation between 60 and 400 Hz."""
    size, estimates = int(0.04 * rate), []
    loud = 0.3 * np.abs(samples).max()
    for start in range(0, len(samples) - size, size // 2):
        frame = samples[start:start + size] - samples[start:start + size].mean()
        if np.abs(frame).max() < loud:
            continue
        corr = np.correlate(frame, frame, "full")[size - 1:]
        lo, hi = rate // 400, rate // 60
        estimates.append(rate / (lo + int(np.argmax(corr[lo:hi]))))
    return float(np.median(estimates))


def test_variants_change_the_pitch():
    text = "Bob moved a blue ball over the moor."
    male = _median_f0(synthesize(text, VoiceSpec(variant="m3")).samples, 22050)
    female = _median_f0(synthesize(text, VoiceSpec(variant="f2")).samples, 22050)
    high = _median_f0(synthesize(text, VoiceSpec(variant="m3", pitch=90)).samples, 22050)
    assert female > 1.3 * male
    assert high > 1.15 * male


def test_rate_changes_the_duration():
    slow = synthesize("Mabel found five plums by the pool.", VoiceSpec(rate=100))
    fast = synthesize("Mabel found five plums by the pool.", VoiceSpec(rate=300))
    assert fast.duration < 0.6 * slow.duration


@pytest.mark.parametrize("voice, message", [
    (VoiceSpec(language="xx-nowhere"), "espeak-ng .* has no voice 'xx-nowhere'; use a language from"),
    (VoiceSpec(variant="nosuchvariant"), "no voice variant 'nosuchvariant'"),
])
def test_unknown_voices_raise_one_line(voice, message):
    with pytest.raises(VoiceError, match=message) as info:
        synthesize("hello", voice)
    assert isinstance(info.value, RealtalkError) and "\n" not in str(info.value)


def test_empty_text_is_refused():
    with pytest.raises(EspeakError, match="empty text"):
        synthesize("  \n ", VoiceSpec())


def test_events_become_tiling_phones():
    events = [(12, "b"), (41, "ˈɑː"), (181, "b"), (256, "l"), (256, "v"), (316, ""), (316, "z"), (400, "")]
    phones = phones_from_events(events, 0.5)
    assert [p.symbol for p in phones] == [PAUSE, "b", "ɑː", "b", "l", "v", "z", PAUSE]
    assert phones[4].start == pytest.approx(0.256) and phones[4].end == pytest.approx(0.286)
    assert phones[5].start == pytest.approx(0.286) and phones[5].end == pytest.approx(0.316)
    assert phones[-1].end == 0.5
    _check_tiling(tuple(phones), 0.5)


def test_write_wav_round_trip(tmp_path):
    utterance = synthesize("Five brave mules.", VoiceSpec("en-gb", "f4"))
    path = write_wav(utterance, tmp_path / "out" / "five.wav")
    with wave.open(str(path), "rb") as handle:
        assert (handle.getnchannels(), handle.getsampwidth(), handle.getframerate()) == (1, 2, 22050)
        pcm = np.frombuffer(handle.readframes(handle.getnframes()), "<i2")
    assert len(pcm) == len(utterance.samples)
    assert np.abs(pcm / 32768.0 - utterance.samples).max() < 1e-4
    assert [p.name for p in path.parent.iterdir()] == ["five.wav"]       # no temporary file left behind


def test_threads_share_the_engine_safely():
    from concurrent.futures import ThreadPoolExecutor
    texts = ["Bob moved.", "Pam paid five pounds.", "Vera found a blue boat.", "Mabel hummed."] * 2
    alone = [synthesize(t, VoiceSpec(variant="f1")).samples for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda t: synthesize(t, VoiceSpec(variant="f1")).samples, texts))
    assert all(np.array_equal(a, b) for a, b in zip(alone, together))


def test_a_crashed_child_becomes_a_one_line_error():
    from realtalk_core.phonetics.espeak_lib import Engine
    with pytest.raises(EspeakError, match=r"espeak-ng crashed \(exit code -11\) on 'hello'"):
        Engine._decode(b"", -11, "hello")
    with pytest.raises(VoiceError, match="no voice"):
        Engine._decode(b'{"error": "no voice", "voice": true}', 3, "hello")
    samples, events = Engine._decode(b'{"events": [[12, "b"]]}\0\x01\x00\xff\xff', 0, "hello")
    assert samples.tolist() == [1, -1] and events == [(12, "b")]
