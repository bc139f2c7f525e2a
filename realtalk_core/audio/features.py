"""Speech features aligned to video frames: an 80-band log-mel, energy and pitch.

All from numpy: a Hann-windowed STFT at 16 kHz (25 ms windows, 10 ms hops), a
triangular mel filterbank (HTK mel scale), log energy, and pitch from the normalised
autocorrelation peak (unvoiced frames get 0 after normalisation). The 100 Hz rows are
averaged into video frames at ``fps`` and normalised per utterance (zero mean, unit
variance per channel). Channels are named by :attr:`AudioFeatures.names`; code reads
them by name, never by position.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class AudioFeatureConfig:
    """The feature extractor's settings (a checkpoint or dataset stores them beside the features)."""

    sample_rate: int = 16000
    n_mels: int = 80
    window_s: float = 0.025
    hop_s: float = 0.010
    fmin_hz: float = 55.0
    fmax_hz: float = 7600.0
    pitch_min_hz: float = 60.0
    pitch_max_hz: float = 500.0
    pitch_window_s: float = 0.040
    voicing_threshold: float = 0.45     #: normalised autocorrelation peak above which a frame is voiced

    def to_json(self) -> dict:
        return asdict(self)

    def names(self) -> tuple[str, ...]:
        return tuple(f"mel_{i:02d}" for i in range(self.n_mels)) + ("energy", "pitch")


@dataclass(frozen=True)
class AudioFeatures:
    """(frames, channels) float32 features at ``fps``; ``names`` label the channels."""

    values: np.ndarray
    names: tuple[str, ...]
    fps: float
    voiced: np.ndarray          #: (frames,) bool

    def channel(self, name: str) -> np.ndarray:
        return self.values[:, self.names.index(name)]


def _hz_to_mel(hz: np.ndarray | float) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + np.asarray(hz, np.float64) / 700.0)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    return 700.0 * (10.0 ** (np.asarray(mel) / 2595.0) - 1.0)


def mel_filterbank(config: AudioFeatureConfig, n_fft: int) -> np.ndarray:
    """(n_mels, n_fft // 2 + 1) triangular filters, each with unit area."""
    edges = _mel_to_hz(np.linspace(_hz_to_mel(config.fmin_hz), _hz_to_mel(config.fmax_hz), config.n_mels + 2))
    bins = np.fft.rfftfreq(n_fft, 1.0 / config.sample_rate)
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (bins[None] - lower) / (centre - lower)
    falling = (upper - bins[None]) / (upper - centre)
    bank = np.maximum(0.0, np.minimum(rising, falling))
    return bank / np.maximum(bank.sum(axis=1, keepdims=True), 1e-12)


def _frames(signal: np.ndarray, window: int, hop: int) -> np.ndarray:
    """(count, window) frames centred on multiples of ``hop`` (zero padded at the ends)."""
    count = max(1, int(np.ceil(len(signal) / hop)))
    padded = np.pad(signal, (window // 2, window + count * hop - len(signal)))
    index = np.arange(window)[None, :] + hop * np.arange(count)[:, None]
    return padded[index]


def _pitch(signal: np.ndarray, config: AudioFeatureConfig, hop: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(count,) f0 in Hz and (count,) voicing strength, from the autocorrelation of 40 ms frames."""
    window = int(config.pitch_window_s * config.sample_rate)
    frames = _frames(signal, window, hop)[:count]
    frames = frames - frames.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(frames * np.hanning(window), n=2 * window)
    auto = np.fft.irfft(np.abs(spectrum) ** 2)[:, :window]
    lo = int(config.sample_rate / config.pitch_max_hz)
    hi = min(window - 1, int(config.sample_rate / config.pitch_min_hz))
    lag = lo + np.argmax(auto[:, lo:hi], axis=1)
    strength = auto[np.arange(len(auto)), lag] / np.maximum(auto[:, 0], 1e-12)
    return config.sample_rate / lag, strength


def extract_features(samples: np.ndarray, sample_rate: int, fps: float, frames: int | None = None,
                     config: AudioFeatureConfig | None = None) -> AudioFeatures:
    """Mono float samples at ``config.sample_rate`` -> features at ``fps`` (``frames`` rows if given)."""
    config = config or AudioFeatureConfig()
    if sample_rate != config.sample_rate:
        raise ValueError(f"audio must be {config.sample_rate} Hz, got {sample_rate}")
    signal = np.asarray(samples, np.float64).reshape(-1)
    if not np.isfinite(signal).all():
        raise ValueError("audio holds NaN or infinite samples")
    window, hop = int(config.window_s * sample_rate), int(config.hop_s * sample_rate)
    n_fft = 1 << int(np.ceil(np.log2(window)))
    framed = _frames(signal, window, hop)
    power = np.abs(np.fft.rfft(framed * np.hanning(window), n=n_fft)) ** 2          # (R, n_fft/2+1)
    log_mel = np.log(power @ mel_filterbank(config, n_fft).T + 1e-10)               # (R, n_mels)
    energy = np.log(np.mean(framed ** 2, axis=1) + 1e-10)                           # (R,)
    f0, strength = _pitch(signal, config, hop, len(framed))
    voiced_rows = (strength > config.voicing_threshold) & (energy > energy.max() - 9.0)
    log_f0 = np.where(voiced_rows, np.log(f0), np.nan)
    rows = np.concatenate([log_mel, energy[:, None], log_f0[:, None]], axis=1)      # (R, C)
    total = frames if frames is not None else max(1, int(round(len(signal) / sample_rate * fps)))
    per_frame, voiced = _to_frames(rows, voiced_rows, config.hop_s, fps, total)
    return AudioFeatures(values=_normalise(per_frame, voiced).astype(np.float32), names=config.names(),
                         fps=fps, voiced=voiced)


def _to_frames(rows: np.ndarray, voiced_rows: np.ndarray, hop_s: float, fps: float,
               total: int) -> tuple[np.ndarray, np.ndarray]:
    """Average the hop-rate rows falling in each video frame [t/fps, (t+1)/fps) (NaN where none are finite)."""
    frame_of_row = np.floor(np.arange(len(rows)) * hop_s * fps + 1e-9).astype(np.int64)
    inside = frame_of_row < total
    frame_of_row, rows, voiced_rows = frame_of_row[inside], rows[inside], voiced_rows[inside]
    out = np.full((total, rows.shape[1]), np.nan)
    for column in range(rows.shape[1]):
        finite = np.isfinite(rows[:, column])
        sums = np.bincount(frame_of_row[finite], weights=rows[finite, column], minlength=total)
        counts = np.bincount(frame_of_row[finite], minlength=total)
        out[counts > 0, column] = sums[counts > 0] / counts[counts > 0]
    per_frame = np.bincount(frame_of_row, minlength=total)
    voiced_count = np.bincount(frame_of_row, weights=voiced_rows.astype(np.float64), minlength=total)
    voiced = (per_frame > 0) & (voiced_count >= 0.5 * np.maximum(per_frame, 1))
    return out, voiced


def _normalise(values: np.ndarray, voiced: np.ndarray) -> np.ndarray:
    """Zero mean, unit variance per channel; NaN (silence past the end, unvoiced pitch) becomes 0."""
    out = np.zeros_like(values)
    for column in range(values.shape[1]):
        data = values[:, column]
        finite = np.isfinite(data)
        if finite.sum() >= 2:
            std = data[finite].std()
            out[finite, column] = (data[finite] - data[finite].mean()) / (std if std > 1e-8 else 1.0)
    return out
