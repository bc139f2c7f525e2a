"""Speech features aligned to video frames: an 80-band log-mel, energy and pitch.

One float32 STFT at 16 kHz (25 ms Hann windows, 10 ms hops, zero-padded to ``n_fft``)
gives both: its power spectrum through a triangular mel filterbank (HTK mel scale) is
the log-mel, and its inverse FFT is each window's autocorrelation, whose normalised peak
(divided by the Hann window's own autocorrelation, Boersma 1993) is the pitch and the
voicing strength (unvoiced frames get 0 after normalisation). The 100 Hz rows are
averaged into video frames at ``fps`` and normalised per utterance (zero mean, unit
variance per channel). Channels are named by :attr:`AudioFeatures.names`; code reads
them by name, never by position.

:func:`raw_rows` computes any run of the 100 Hz rows from the whole signal (each row reads
its own window, zeros past the ends), so :func:`extract_features_long` can work a chunk at
a time: mel and energy are summed into video frames chunk by chunk, pitch waits for the
voicing threshold (which needs the loudest row of the utterance), and the per-utterance
normalisation runs once at the end. An hour then needs the samples, one chunk's STFT and
the per-frame sums, not the ~GBs of a whole-hour STFT.
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
    n_fft: int = 1024                   #: FFT length; at least twice the window, so autocorrelation lags do not wrap
    pitch_min_hz: float = 60.0
    pitch_max_hz: float = 500.0
    voicing_threshold: float = 0.45     #: normalised autocorrelation peak above which a frame is voiced

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "AudioFeatureConfig":
        """The config stored in a checkpoint or dataset; ValueError names the settings this version lacks."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"made by an older feature extractor (settings {', '.join(unknown)})")
        return cls(**data)

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


def row_count(n_samples: int, config: AudioFeatureConfig) -> int:
    """How many hop-rate rows ``n_samples`` at ``config.sample_rate`` give (at least one)."""
    return max(1, int(np.ceil(n_samples / int(config.hop_s * config.sample_rate))))


def _frames(signal: np.ndarray, window: int, hop: int, first: int, count: int) -> np.ndarray:
    """(count, window) float32 frames centred on samples ``hop * (first + i)``, zeros outside ``signal``."""
    start = first * hop - window // 2
    stop = start + (count - 1) * hop + window
    lo, hi = max(0, start), min(len(signal), stop)
    piece = np.asarray(signal[lo:max(lo, hi)], np.float32)
    padded = np.pad(piece, (lo - start, stop - lo - len(piece)))
    return np.lib.stride_tricks.sliding_window_view(padded, window)[::hop][:count]


def _window_autocorrelation(window: np.ndarray, n_fft: int) -> np.ndarray:
    """The analysis window's own autocorrelation, normalised to 1 at lag 0: (n_fft // 2,)."""
    from scipy import fft

    auto = fft.irfft(np.abs(fft.rfft(window, n=n_fft)) ** 2)[: n_fft // 2]
    return auto / auto[0]


#: A period multiple wins over the shortest peak only when that peak is below this share of it
#: (the normalised autocorrelation repeats at 2T, 3T ...: without it, pitch reads octaves low).
OCTAVE_SHARE = 0.9


def _pitch(auto: np.ndarray, config: AudioFeatureConfig, window_auto: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(R,) f0 in Hz and (R,) voicing strength from (R, L) windowed autocorrelations (lag 0 first)."""
    lo = int(config.sample_rate / config.pitch_max_hz)
    hi = min(auto.shape[1] - 1, int(config.sample_rate / config.pitch_min_hz))
    normalised = auto[:, lo:hi + 1] / np.maximum(auto[:, :1], 1e-20) / np.maximum(window_auto[lo:hi + 1], 1e-3)
    inner = normalised[:, 1:-1]
    peak = (inner >= normalised[:, :-2]) & (inner >= normalised[:, 2:])          # local maxima, lags lo+1 .. hi-1
    strong = peak & (inner >= OCTAVE_SHARE * inner.max(axis=1, keepdims=True))
    best = np.where(strong.any(axis=1), np.argmax(strong, axis=1), np.argmax(inner, axis=1))   # the shortest
    strength = inner[np.arange(len(auto)), best]
    return config.sample_rate / (lo + 1 + best), strength


@dataclass(frozen=True)
class RawRows:
    """Un-normalised hop-rate rows (one every ``hop_s``) of a stretch of audio."""

    values: np.ndarray      #: (R, n_mels + 2) log-mel, log energy, log f0 (of every row: voicing is decided later)
    strength: np.ndarray    #: (R,) normalised autocorrelation peak (voicing strength)


def raw_rows(signal: np.ndarray, config: AudioFeatureConfig, first: int = 0, count: int | None = None) -> RawRows:
    """Rows ``first .. first + count`` of the mono ``signal`` at ``config.sample_rate`` (all rows by default).

    Each row reads its own windows of ``signal`` (zeros past either end), so rows computed chunk by chunk
    equal the rows of the whole signal; only the chunk's samples are converted to float32.
    """
    from scipy import fft

    window, hop = int(config.window_s * config.sample_rate), int(config.hop_s * config.sample_rate)
    if config.n_fft < 2 * window:
        raise ValueError(f"n_fft ({config.n_fft}) must be at least twice the window ({window} samples)")
    count = row_count(len(signal), config) - first if count is None else count
    framed = _frames(signal, window, hop, first, count)                             # (R, window) float32 view
    centred = framed - framed.mean(axis=1, keepdims=True, dtype=np.float64).astype(np.float32)
    hann = np.hanning(window).astype(np.float32)
    power = np.abs(fft.rfft(centred * hann, n=config.n_fft, workers=-1)) ** 2         # (R, n_fft/2+1)
    log_mel = np.log(power @ mel_filterbank(config, config.n_fft).T.astype(np.float32) + 1e-10)
    energy = np.log(np.einsum("rw,rw->r", framed, framed, dtype=np.float64) / window + 1e-10)
    auto = fft.irfft(power, n=config.n_fft, workers=-1)[:, : config.n_fft // 2]     # (R, lags)
    f0, strength = _pitch(auto, config, _window_autocorrelation(hann.astype(np.float64), config.n_fft))
    values = np.concatenate([log_mel, energy[:, None], np.log(f0)[:, None]], axis=1)
    return RawRows(values=values.astype(np.float64), strength=strength.astype(np.float64))


def extract_features(samples: np.ndarray, sample_rate: int, fps: float, frames: int | None = None,
                     config: AudioFeatureConfig | None = None) -> AudioFeatures:
    """Mono float samples at ``config.sample_rate`` -> features at ``fps`` (``frames`` rows if given)."""
    config = config or AudioFeatureConfig()
    signal = _checked(samples, sample_rate, config)
    return _features(np.asarray(signal, np.float64), fps, frames, config, row_count(len(signal), config))


def extract_features_long(samples: np.ndarray, sample_rate: int, fps: float, frames: int | None = None,
                          config: AudioFeatureConfig | None = None, chunk_s: float = 20.0) -> AudioFeatures:
    """:func:`extract_features` computed ``chunk_s`` seconds at a time, for audio of any length.

    The result equals :func:`extract_features` (up to float rounding where a video frame straddles two
    chunks); memory is the samples plus one chunk's STFT plus the per-frame sums, never the whole STFT.
    """
    config = config or AudioFeatureConfig()
    if not chunk_s > 0:
        raise ValueError(f"chunk_s must be positive, got {chunk_s}")
    signal = _checked(samples, sample_rate, config)
    chunk_rows = max(1, int(round(chunk_s / config.hop_s)))
    return _features(signal, fps, frames, config, chunk_rows)


def _checked(samples: np.ndarray, sample_rate: int, config: AudioFeatureConfig) -> np.ndarray:
    if sample_rate != config.sample_rate:
        raise ValueError(f"audio must be {config.sample_rate} Hz, got {sample_rate}")
    signal = np.asarray(samples).reshape(-1)
    if signal.dtype.kind not in "fiu":
        signal = signal.astype(np.float64)
    if not np.isfinite(signal).all():
        raise ValueError("audio holds NaN or infinite samples")
    return signal


def _features(signal: np.ndarray, fps: float, frames: int | None, config: AudioFeatureConfig,
              chunk_rows: int) -> AudioFeatures:
    """Rows chunk by chunk -> per-frame sums of mel and energy; pitch once voicing (which needs the
    loudest row of the whole utterance) is known; then per-utterance normalisation."""
    total = frames if frames is not None else max(1, int(round(len(signal) / config.sample_rate * fps)))
    n_rows = row_count(len(signal), config)
    frame_of_row = np.floor(np.arange(n_rows) * config.hop_s * fps + 1e-9).astype(np.int64)    # (R,)
    frame_of_row[frame_of_row >= total] = -1                        # rows past the last frame are dropped
    sums = np.zeros((total, config.n_mels + 2))
    counts = np.zeros((total, config.n_mels + 2))
    energy, log_f0, strength = np.empty(n_rows), np.empty(n_rows), np.empty(n_rows)
    for first in range(0, n_rows, chunk_rows):
        rows = raw_rows(signal, config, first, min(chunk_rows, n_rows - first))
        span = slice(first, first + len(rows.strength))
        _add_rows(sums[:, :-1], counts[:, :-1], rows.values[:, :-1], frame_of_row[span])
        energy[span], log_f0[span], strength[span] = rows.values[:, -2], rows.values[:, -1], rows.strength
    voiced_rows = (strength > config.voicing_threshold) & (energy > energy.max() - 9.0)
    _add_rows(sums[:, -1:], counts[:, -1:], np.where(voiced_rows, log_f0, np.nan)[:, None], frame_of_row)
    per_frame = np.full((total, sums.shape[1]), np.nan)
    np.divide(sums, counts, out=per_frame, where=counts > 0)
    inside = frame_of_row >= 0
    rows_in_frame = np.bincount(frame_of_row[inside], minlength=total)
    voiced_in_frame = np.bincount(frame_of_row[inside], weights=voiced_rows[inside].astype(np.float64),
                                  minlength=total)
    voiced = (rows_in_frame > 0) & (voiced_in_frame >= 0.5 * np.maximum(rows_in_frame, 1))
    return AudioFeatures(values=_normalise(per_frame).astype(np.float32), names=config.names(),
                         fps=fps, voiced=voiced)


def _add_rows(sums: np.ndarray, counts: np.ndarray, rows: np.ndarray, frame_of_row: np.ndarray) -> None:
    """Add the finite hop-rate ``rows`` (R, C) into the video frames ``frame_of_row`` (-1: dropped)."""
    total = len(sums)
    for column in range(rows.shape[1]):
        keep = np.isfinite(rows[:, column]) & (frame_of_row >= 0)
        sums[:, column] += np.bincount(frame_of_row[keep], weights=rows[keep, column], minlength=total)
        counts[:, column] += np.bincount(frame_of_row[keep], minlength=total)


def _normalise(values: np.ndarray) -> np.ndarray:
    """Zero mean, unit variance per channel; NaN (silence past the end, unvoiced pitch) becomes 0."""
    out = np.zeros_like(values)
    for column in range(values.shape[1]):
        data = values[:, column]
        finite = np.isfinite(data)
        if finite.sum() >= 2:
            std = data[finite].std()
            out[finite, column] = (data[finite] - data[finite].mean()) / (std if std > 1e-8 else 1.0)
    return out
