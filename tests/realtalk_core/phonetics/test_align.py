"""Forced alignment with pocketsphinx: real speech against hand labels, synthetic speech against espeak-ng."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.io import wavfile

from realtalk_core.assets.store import ARCTIC_A0009_LAB, ARCTIC_A0009_TEXT, ARCTIC_A0009_WAV, AssetError, require
from realtalk_core.phonetics.align import AlignConfig, Aligner, AlignError, align, transcript_words
from realtalk_core.phonetics.compare import comparable, onset_errors
from realtalk_core.phonetics.espeak import synthesize, write_wav
from realtalk_core.phonetics.labels import read_labels
from realtalk_core.phonetics.phones import PAUSE
from realtalk_core.phonetics.voices import VoiceSpec

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
SENTENCES = (
    "Pop, Bob met five rough old wolves by the pool.",
    "The brave farmer moved a purple box over the muddy bridge.",
    "Did Mabel buy the velvet vest before noon?",
)


@pytest.fixture(scope="module")
def arctic() -> tuple[Path, Path]:
    try:
        return require(ARCTIC_A0009_WAV), require(ARCTIC_A0009_LAB)
    except AssetError as err:
        pytest.skip(f"CMU ARCTIC a0009 is not in the asset cache ({err}); `make setup` fetches it")


def test_arctic_a0009_onsets_match_the_labels(arctic):
    wav, lab = arctic
    labels = read_labels(lab)
    phones = align(wav, ARCTIC_A0009_TEXT)
    spoken = [comparable(p.symbol) for p in labels if p.symbol != PAUSE]
    # the transcript is the labels' text (compared by `comparable`: the labels' schwa "ax" is /ə/, while
    # pocketsphinx's phone set writes every schwa and /ʌ/ alike as AH)
    assert [comparable(p.symbol) for p in phones if p.symbol != PAUSE] == spoken
    assert any(p.symbol == "ə" for p in labels)
    errors = onset_errors(labels, phones)
    assert len(errors) == len(spoken)
    assert np.median(errors) < 0.020
    assert np.percentile(errors, 90) < 0.050


@pytest.mark.parametrize("text", SENTENCES)
def test_alignment_agrees_with_espeak_phone_events(text, tmp_path):
    utterance = synthesize(text, VoiceSpec("en-us", "m1"))
    phones = align(write_wav(utterance, tmp_path / "say.wav"), text)
    errors = onset_errors(utterance.phones, phones)
    spoken = [p for p in utterance.phones if p.symbol != PAUSE]
    assert len(errors) >= 0.8 * len(spoken)
    assert np.median(errors) < 0.030                 # measured 8-21 ms over voices and these sentences
    assert phones[-1].end <= utterance.duration + 0.011


def test_wider_beams_rescue_a_failed_alignment(tmp_path):
    text = "Our hot banana floated firmly while Pam slept."
    wav = write_wav(synthesize(text, VoiceSpec("en-gb", "m3", rate=140)), tmp_path / "slow.wav")
    with pytest.raises(AlignError, match="could not align the transcript; check the text matches the speech"):
        Aligner(AlignConfig(fallback_beam=None)).align(wav, text)
    phones = align(wav, text)
    assert [p.symbol for p in phones if p.symbol != PAUSE][:4] == ["aʊ", "ɜː", "h", "ɑː"]


def test_any_sample_rate_and_channel_count(tmp_path):
    text = SENTENCES[1]
    utterance = synthesize(text, VoiceSpec("en-us"))
    reference = align(write_wav(utterance, tmp_path / "mono.wav"), text)
    from scipy.signal import resample_poly
    stereo = resample_poly(utterance.samples, 160, 147)                  # 22050 -> 24000 Hz
    stereo = np.stack([stereo, 0.5 * stereo], axis=1).astype(np.float32)  # (N, 2) float WAV
    wavfile.write(tmp_path / "stereo.wav", 24000, stereo)
    again = align(tmp_path / "stereo.wav", text)
    assert [p.symbol for p in again] == [p.symbol for p in reference]
    assert np.median(onset_errors(reference, again)) <= 0.011


@pytest.mark.skipif(not (LIBRIVOX / "transcription").is_file(), reason="apt pocketsphinx-testdata is not installed")
def test_a_librivox_clip_aligns():
    rate, data = wavfile.read(LIBRIVOX / "sense_and_sensibility_01_austen_64kb-0880.wav")
    phones = align(LIBRIVOX / "sense_and_sensibility_01_austen_64kb-0880.wav", "he was not an ill disposed young man")
    spoken = [p for p in phones if p.symbol != PAUSE]
    assert [p.symbol for p in spoken[:3]] == ["h", "iː", "w"]
    assert len(spoken) >= 20 and phones[-1].end <= len(data) / rate + 0.011
    assert all(b.start >= a.end - 1e-9 for a, b in zip(phones, phones[1:]))


def test_transcript_words():
    assert transcript_words("Philip's car, (he said) -- “fine”!") == ["philip's", "car", "he", "said", "fine"]


def test_errors_name_the_file_and_the_fix(tmp_path):
    with pytest.raises(AlignError, match="absent.wav: no such audio file"):
        align(tmp_path / "absent.wav", "hello")
    (tmp_path / "junk.wav").write_bytes(b"this is not a wave file at all")
    with pytest.raises(AlignError, match="junk.wav: unreadable audio"):
        align(tmp_path / "junk.wav", "hello")
    wavfile.write(tmp_path / "silent.wav", 16000, np.zeros(16000, np.int16))
    with pytest.raises(AlignError, match="silent.wav: audio is silent"):
        align(tmp_path / "silent.wav", "hello")
    speech = write_wav(synthesize("Bob met Pam.", VoiceSpec()), tmp_path / "speech.wav")
    with pytest.raises(AlignError, match="word 'zqxbrumph' is not in the pocketsphinx dictionary") as info:
        align(speech, "Bob met zqxbrumph.")
    assert "\n" not in str(info.value)
    with pytest.raises(AlignError, match="has no words"):
        align(speech, "?!")
