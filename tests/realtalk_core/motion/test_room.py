import numpy as np
import pytest

from realtalk_core.motion.room import RoomConfig, copy_seed, in_a_room
from realtalk_core.motion.train import _is_val

RATE = 16000


def _tone_then_gap() -> np.ndarray:
    """0.3 s of a vowel-like tone, 0.1 s of digital silence (a stop closure), 0.3 s of tone."""
    t = np.arange(int(0.3 * RATE)) / RATE
    tone = 0.5 * np.sin(2 * np.pi * 150 * t) + 0.2 * np.sin(2 * np.pi * 700 * t)
    return np.concatenate([tone, np.zeros(int(0.1 * RATE)), tone])


def _gap_power(x: np.ndarray) -> float:
    gap = x[int(0.32 * RATE): int(0.38 * RATE)]
    return float(np.mean(gap.astype(np.float64) ** 2) / np.mean(x[: int(0.3 * RATE)].astype(np.float64) ** 2))


def test_a_copy_keeps_length_and_level_and_is_reproducible():
    x = _tone_then_gap()
    a = in_a_room(x, RATE, np.random.default_rng(copy_seed("take_0001", 1)), RoomConfig())
    b = in_a_room(x, RATE, np.random.default_rng(copy_seed("take_0001", 1)), RoomConfig())
    c = in_a_room(x, RATE, np.random.default_rng(copy_seed("take_0001", 2)), RoomConfig())
    assert a.shape == x.shape and a.dtype == np.float32 and np.isfinite(a).all()
    assert 0 < np.abs(a).max() < 1.0
    assert np.array_equal(a, b) and not np.allclose(a, c)


def test_reverberation_and_noise_fill_the_digital_silence_of_a_closure():
    x = _tone_then_gap()
    assert _gap_power(x) == 0.0
    reverb = RoomConfig(reverb_chance=1.0, rt60_s=(0.5, 0.5), direct_db=(0.0, 0.0), noise_chance=0.0,
                        highpass_chance=0.0, lowpass_chance=0.0, eq_db=0.0)
    noise = RoomConfig(reverb_chance=0.0, noise_chance=1.0, snr_db=(20.0, 20.0), highpass_chance=0.0,
                       lowpass_chance=0.0, eq_db=0.0)
    wet = _gap_power(in_a_room(x, RATE, np.random.default_rng(0), reverb))
    noisy = _gap_power(in_a_room(x, RATE, np.random.default_rng(0), noise))
    assert 1e-3 < wet < 0.5                    # the tone's tail spills into the gap, still quieter than it
    assert noisy == pytest.approx(10 ** (-20 / 10), rel=0.5)    # the noise floor sits 20 dB down


def test_the_direct_sound_stays_at_lag_zero():
    x = np.zeros(RATE // 2)
    x[4000] = 1.0
    config = RoomConfig(reverb_chance=1.0, direct_db=(10.0, 10.0), noise_chance=0.0, highpass_chance=0.0,
                        lowpass_chance=0.0, eq_db=0.0)
    y = in_a_room(x, RATE, np.random.default_rng(3), config)
    assert int(np.argmax(np.abs(y))) == 4000 and np.abs(y[:4000]).max() < 1e-4   # nothing before the sound


def test_room_copies_are_held_out_with_their_utterance():
    names = [f"take_{i:04d}" for i in range(400)]
    for name in names:
        assert _is_val(f"{name}@room1", 0.1) == _is_val(name, 0.1) == _is_val(f"{name}@room2", 0.1)
    assert 10 < sum(_is_val(n, 0.1) for n in names) < 80
