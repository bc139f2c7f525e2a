"""load_audio: every format and rate the studio meets, down to mono float32 at 16 kHz."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import resample_poly

from realtalk_core.audio import DecodeConfig, extract_features, load_audio


def _dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


@pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100, 48000])
def test_wav_at_any_rate_becomes_16k_mono(write_audio, rate, tone):
    path = write_audio(f"tone_{rate}.wav", tone(2.0, rate), rate)
    audio = load_audio(path)
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert (audio.sample_rate, audio.source_rate, audio.channels, audio.decoder) == (16000, rate, 1, "soundfile")
    assert len(audio.samples) == 32000 and audio.duration == pytest.approx(2.0)
    middle = slice(800, -800)                                   # the filter's edges aside
    expected = tone(2.0, 16000)
    assert abs(audio.samples[middle] - expected[middle]).max() < 2e-3      # 16-bit PCM and the filter


def test_stereo_is_the_mean_of_its_channels(write_audio, tone):
    left, right = tone(1.0, 44100, 440.0, 0.6), tone(1.0, 44100, 1000.0, 0.2)
    audio = load_audio(write_audio("stereo.wav", np.stack([left, right], axis=1), 44100, "FLOAT"))
    assert audio.channels == 2
    expected = resample_poly((left.astype(np.float64) + right) / 2, 160, 441)
    assert abs(audio.samples - expected).max() < 1e-6


def test_blocks_join_seamlessly(write_audio, speech_like):
    """Resampling 0.37 s at a time equals resampling the whole 10 s at once."""
    rng = np.random.default_rng(3)
    stereo = np.stack([speech_like(10.0, 44100), 0.3 * rng.normal(size=441000)], axis=1).astype(np.float32)
    path = write_audio("long.wav", stereo, 44100, "FLOAT")
    small = load_audio(path, config=DecodeConfig(block_s=0.37))
    whole = load_audio(path, config=DecodeConfig(block_s=1000.0))
    reference = resample_poly(stereo.astype(np.float64).mean(axis=1), 160, 441)
    assert len(small.samples) == len(whole.samples) == len(reference) == 160000
    assert abs(small.samples - whole.samples).max() < 1e-4
    assert abs(small.samples - reference).max() < 1e-4


@pytest.mark.parametrize("name, decoder", [("speech.flac", "soundfile"), ("speech.ogg", "soundfile"),
                                           ("speech.mp3", "soundfile"), ("take 1: final.m4a", "ffmpeg")])
def test_compressed_formats(write_audio, name, decoder, tone):
    stereo = np.stack([tone(3.0, 44100, 300.0, 0.4)] * 2, axis=1)
    audio = load_audio(write_audio(name, stereo, 44100))
    assert (audio.decoder, audio.source_rate, audio.channels) == (decoder, 44100, 2)
    assert audio.duration == pytest.approx(3.0, abs=0.05)
    middle = audio.samples[8000:-8000]
    assert _dominant_hz(middle, 16000) == pytest.approx(300.0, abs=1.0)
    assert np.sqrt(np.mean(middle ** 2)) == pytest.approx(0.4 / np.sqrt(2), rel=0.05)    # the mean, not L + R


def test_a_file_libsndfile_refuses_goes_to_ffmpeg(write_audio, tmp_path, tone):
    m4a = write_audio("voice.m4a", tone(1.0, 48000), 48000)
    disguised = m4a.rename(tmp_path / "voice.wav")
    audio = load_audio(disguised)
    assert audio.decoder == "ffmpeg" and audio.source_rate == 48000
    assert audio.duration == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("fps", [25.0, 30.0])
def test_features_of_mp3_follow_the_wav(write_audio, fps, speech_like):
    speech = speech_like(6.0, 44100)
    wav = load_audio(write_audio("speech.wav", speech, 44100))
    mp3 = load_audio(write_audio("speech.mp3", speech, 44100))
    reference = extract_features(wav.samples, 16000, fps)
    assert len(reference.values) == round(wav.duration * fps) == round(6.0 * fps)
    decoded = extract_features(mp3.samples, 16000, fps, frames=len(reference.values))
    assert np.corrcoef(reference.values.ravel(), decoded.values.ravel())[0, 1] > 0.9
