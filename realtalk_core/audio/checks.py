"""Is decoded audio usable as speech? One pass over the samples, then a clear policy.

| finding                                  | outcome                                  |
|------------------------------------------|------------------------------------------|
| NaN or infinite samples                  | :class:`AudioError`                      |
| shorter than ``min_duration_s`` (0.2 s)  | :class:`AudioError`                      |
| peak < 1e-4 or RMS < -60 dBFS (after DC) | :class:`AudioError` (silent)             |
| DC offset (mean) of at least 1e-4        | removed (mean subtracted), reported      |
| > 1 % of samples at abs(x) >= 0.999      | ``clipping`` flag and a warning; usable  |
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

import numpy as np

from ..schema.errors import RealtalkError

if TYPE_CHECKING:
    from .decode import DecodedAudio


class AudioError(RealtalkError):
    """An audio file is missing, unreadable, too short, silent or holds bad samples."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


@dataclass(frozen=True)
class AudioCheckConfig:
    """Thresholds of :func:`check_audio`."""

    min_duration_s: float = 0.2     #: shorter audio is refused
    silence_peak: float = 1e-4      #: a peak (after DC removal) below this is silence
    silence_rms_dbfs: float = -60.0  #: an RMS (after DC removal) below this is silence
    dc_threshold: float = 1e-4      #: a mean of at least this magnitude is subtracted
    clip_level: float = 0.999       #: samples at or above this magnitude count as clipped
    clip_fraction: float = 0.01     #: more clipped samples than this fraction raise the clipping flag
    block: int = 1 << 20            #: samples scanned at a time (bounds the temporary memory)


@dataclass(frozen=True)
class AudioReport:
    """What :func:`check_audio` found, and the audio to use (``audio``: DC removed when there was any)."""

    audio: DecodedAudio
    duration: float             #: seconds
    peak: float                 #: max abs(x - mean)
    rms_dbfs: float             #: RMS of (x - mean) in dB relative to full scale (1.0)
    dc_offset: float            #: the mean of the decoded samples
    dc_removed: bool            #: True when ``audio`` has had ``dc_offset`` subtracted
    clipped_fraction: float     #: share of samples at abs(x) >= clip_level
    clipping: bool              #: clipped_fraction above the config's limit (usable, but warn the user)
    warnings: tuple[str, ...]   #: one line each, for the user

    def to_json(self) -> dict:
        """The findings (not the samples), for a run's log."""
        return {"path": str(self.audio.path), **{f.name: getattr(self, f.name) for f in fields(self)
                                                 if f.name != "audio"}}


def check_audio(decoded: DecodedAudio, config: AudioCheckConfig | None = None) -> AudioReport:
    """Scan ``decoded`` once; raise :class:`AudioError` for unusable audio, else report (and remove DC)."""
    config = config or AudioCheckConfig()
    path, samples = decoded.path, decoded.samples
    n = len(samples)
    total = total_sq = 0.0
    low, high, clipped = math.inf, -math.inf, 0
    for start in range(0, n, config.block):
        block = np.asarray(samples[start:start + config.block], np.float64)
        if not np.isfinite(block).all():
            raise AudioError(path, "the audio holds NaN or infinite samples; re-export it from the editor "
                                   "as 16- or 24-bit PCM")
        total += float(block.sum())
        total_sq += float(np.dot(block, block))
        low, high = min(low, float(block.min())), max(high, float(block.max()))
        clipped += int(np.count_nonzero(np.abs(block) >= config.clip_level))
    duration = n / decoded.sample_rate
    if duration < config.min_duration_s:
        raise AudioError(path, f"too short ({duration:.2f} s); RealTalk needs at least "
                               f"{config.min_duration_s:g} s of speech")
    mean = total / n
    peak = max(high - mean, mean - low)
    rms = math.sqrt(max(total_sq / n - mean * mean, 0.0))
    rms_dbfs = 20.0 * math.log10(rms) if rms > 0 else -math.inf
    if peak < config.silence_peak or rms_dbfs < config.silence_rms_dbfs:
        raise AudioError(path, f"the audio is silent (peak {peak:.1e}, RMS {rms_dbfs:.0f} dBFS); "
                               "check the microphone or the exported track and record the speech again")
    warnings: list[str] = []
    dc_removed = abs(mean) >= config.dc_threshold
    audio = decoded
    if dc_removed:
        audio = replace(decoded, samples=(samples - np.float32(mean)).astype(np.float32, copy=False))
        warnings.append(f"{path}: DC offset {mean:+.4f} removed")
    clipped_fraction = clipped / n
    clipping = clipped_fraction > config.clip_fraction
    if clipping:
        warnings.append(f"{path}: {100 * clipped_fraction:.1f}% of samples are clipped; the features will "
                        "still work, but record with less gain if you can")
    return AudioReport(audio=audio, duration=duration, peak=peak, rms_dbfs=rms_dbfs, dc_offset=mean,
                       dc_removed=dc_removed, clipped_fraction=clipped_fraction, clipping=clipping,
                       warnings=tuple(warnings))
