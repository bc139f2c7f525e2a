import numpy as np
import pytest

from realtalk_core.audio import AudioFeatureConfig, extract_features


def _voiced_then_silent(rate: int = 16000) -> np.ndarray:
    t = np.arange(2 * rate) / rate
    voice = 0.3 * np.sin(2 * np.pi * 140 * t) + 0.1 * np.sin(2 * np.pi * 280 * t)
    return np.where(t < 1.0, voice, 1e-4 * np.random.default_rng(0).normal(size=t.size))


@pytest.mark.parametrize("fps", [25.0, 30.0])
def test_features_align_to_fps_with_named_channels(fps):
    features = extract_features(_voiced_then_silent(), 16000, fps)
    frames = int(round(2 * fps))
    assert features.values.shape == (frames, 82)
    assert features.names[:2] == ("mel_00", "mel_01") and features.names[-2:] == ("energy", "pitch")
    assert np.isfinite(features.values).all()
    half = frames // 2
    assert features.voiced[:half - 1].all() and not features.voiced[half + 1:].any()
    energy = features.channel("energy")
    assert energy[:half - 1].min() > energy[half + 1:].max()
    assert abs(features.values.mean(axis=0)).max() < 1e-4                  # normalised per utterance


def test_pitch_follows_the_voice():
    rate = 16000
    t = np.arange(rate) / rate
    low = extract_features(0.3 * np.sin(2 * np.pi * 110 * t), rate, 25.0, config=AudioFeatureConfig())
    both = np.concatenate([0.3 * np.sin(2 * np.pi * 110 * t), 0.3 * np.sin(2 * np.pi * 220 * t)])
    mixed = extract_features(both, rate, 25.0)
    pitch = mixed.channel("pitch")
    assert pitch[30:45].mean() > pitch[5:20].mean() + 1.0                  # an octave up reads higher
    assert low.voiced.mean() > 0.9


def test_bad_audio_is_refused():
    with pytest.raises(ValueError, match="16000 Hz"):
        extract_features(np.zeros(100), 8000, 25.0)
    with pytest.raises(ValueError, match="NaN"):
        extract_features(np.array([0.0, np.nan] * 800), 16000, 25.0)
    silent = extract_features(np.zeros(16000), 16000, 25.0)
    assert np.isfinite(silent.values).all() and not silent.voiced.any()


def test_a_stored_config_round_trips_and_an_older_one_is_named():
    config = AudioFeatureConfig(n_mels=40)
    assert AudioFeatureConfig.from_json(config.to_json()) == config
    older = {**AudioFeatureConfig().to_json(), "pitch_window_s": 0.04}
    with pytest.raises(ValueError, match="older feature extractor.*pitch_window_s"):
        AudioFeatureConfig.from_json(older)


def test_short_windows_cannot_wrap_the_autocorrelation():
    with pytest.raises(ValueError, match="n_fft"):
        extract_features(np.zeros(16000), 16000, 25.0, config=AudioFeatureConfig(n_fft=512))
