"""Waveform augmentation for the motion model: synthetic speech as a real room and microphone hear it.

espeak-ng speaks into digital silence: a /p b m/ closure is an exact gap, with no room noise and
no reverberant tail of the vowel before it. A model trained on that hears closures only as
silence and misses them in real recordings. Each augmented copy of a training utterance therefore
goes, in this order, through:

* **a room**: an exponentially decaying noise impulse response (RT60 drawn from ``rt60_s``) behind
  the direct sound, at a random direct-to-reverberant ratio, so the vowel's tail spills into closures;
* **a microphone and channel**: a smooth random EQ curve (per-octave gains), and sometimes a
  high-pass (small microphones, phone lines) and a low-pass (compressed audio);
* **background noise**: coloured noise (white to brown) at a random signal-to-noise ratio;
* **a level**: a random gain.

All of it is one FFT multiplication plus the noise, seeded per utterance and copy, so a copy is
the same in every run. The sound keeps its timing: the direct path sits at lag 0, so phone
times and motion targets still line up.

It is opt-in (``realtalk train motion --room-copies N``; 0 in the cpu and gpu presets): on
espeak-ng data alone it did not help real-speech closures (docs/models.md); voices built from
real recordings (``synth motion --engine flite``) did.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RoomConfig:
    """How many augmented copies each training utterance gets, and how they are drawn."""

    copies: int = 0                                   #: augmented copies per utterance, beside the clean one
    reverb_chance: float = 0.8
    rt60_s: tuple[float, float] = (0.15, 0.8)         #: reverberation time (60 dB decay)
    direct_db: tuple[float, float] = (-3.0, 15.0)     #: direct-to-reverberant energy ratio
    eq_db: float = 6.0                                #: largest per-octave gain of the microphone curve
    highpass_chance: float = 0.4
    highpass_hz: tuple[float, float] = (80.0, 300.0)
    lowpass_chance: float = 0.4
    lowpass_hz: tuple[float, float] = (3400.0, 7000.0)
    noise_chance: float = 0.9
    snr_db: tuple[float, float] = (12.0, 40.0)         #: speech power over noise power
    noise_colour: tuple[float, float] = (0.0, 2.0)    #: spectral slope exponent: 0 white, 1 pink, 2 brown
    gain_db: tuple[float, float] = (-18.0, 0.0)

    def to_json(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def _uniform(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(rng.uniform(bounds[0], bounds[1]))


def _impulse_response(rng: np.random.Generator, config: RoomConfig, rate: int) -> np.ndarray:
    """A direct path (1 at lag 0) plus an exponentially decaying diffuse tail."""
    rt60 = _uniform(rng, config.rt60_s)
    length = int(rt60 * rate)
    t = np.arange(1, length) / rate
    tail = rng.standard_normal(length - 1) * np.exp(-6.9078 * t / rt60)          # 60 dB over rt60
    direct_db = _uniform(rng, config.direct_db)
    tail *= np.sqrt(10.0 ** (-direct_db / 10.0) / max(float(np.sum(tail ** 2)), 1e-12))
    return np.concatenate([[1.0], tail])


def _channel_curve(rng: np.random.Generator, config: RoomConfig, freqs: np.ndarray) -> np.ndarray:
    """(F,) amplitude response: smooth per-octave EQ, optional high-pass and low-pass (4th order)."""
    octaves = np.log2(np.maximum(freqs, 31.25) / 125.0)
    knots = np.arange(-2, 7)
    gains_db = rng.uniform(-config.eq_db, config.eq_db, len(knots))
    curve = 10.0 ** (np.interp(octaves, knots, gains_db) / 20.0)
    if rng.random() < config.highpass_chance:
        cut = _uniform(rng, config.highpass_hz)
        curve /= np.sqrt(1.0 + (cut / np.maximum(freqs, 1e-3)) ** 8)
    if rng.random() < config.lowpass_chance:
        cut = _uniform(rng, config.lowpass_hz)
        curve /= np.sqrt(1.0 + (freqs / cut) ** 8)
    return curve


def _noise(rng: np.random.Generator, config: RoomConfig, n: int, rate: int) -> np.ndarray:
    """Unit-power noise of a random colour (power falling as f ** -colour)."""
    colour = _uniform(rng, config.noise_colour)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1.0 / rate)
    spectrum *= np.maximum(freqs, 20.0) ** (-colour / 2.0)
    noise = np.fft.irfft(spectrum, n)
    return noise / max(float(np.sqrt(np.mean(noise ** 2))), 1e-12)


def in_a_room(samples: np.ndarray, rate: int, rng: np.random.Generator, config: RoomConfig) -> np.ndarray:
    """One augmented copy of mono ``samples`` (float, any scale): same length, float32, peak below 1."""
    x = np.asarray(samples, np.float64).reshape(-1)
    n = len(x)
    response = _impulse_response(rng, config, rate) if rng.random() < config.reverb_chance else np.ones(1)
    size = 1 << int(np.ceil(np.log2(n + len(response))))
    freqs = np.fft.rfftfreq(size, 1.0 / rate)
    spectrum = np.fft.rfft(x, size) * np.fft.rfft(response, size) * _channel_curve(rng, config, freqs)
    y = np.fft.irfft(spectrum, size)[:n]
    if rng.random() < config.noise_chance:
        loud = np.abs(y) > 0.05 * max(float(np.abs(y).max()), 1e-12)
        speech_power = float(np.mean(y[loud] ** 2)) if loud.any() else float(np.mean(y ** 2))
        snr = _uniform(rng, config.snr_db)
        y = y + _noise(rng, config, n, rate) * np.sqrt(speech_power * 10.0 ** (-snr / 10.0))
    peak = max(float(np.abs(y).max()), 1e-12)
    return (y * (0.9 / peak) * 10.0 ** (_uniform(rng, config.gain_db) / 20.0)).astype(np.float32)


def copy_seed(name: str, copy: int) -> np.random.SeedSequence:
    """The seed of an utterance's ``copy``-th augmented copy (stable across runs and machines)."""
    import hashlib

    digest = int(hashlib.sha256(name.encode()).hexdigest()[:16], 16)
    return np.random.SeedSequence([digest, copy])
