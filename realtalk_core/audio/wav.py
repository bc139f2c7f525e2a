"""Write float samples as a 16-bit PCM WAV, atomically (numpy and the standard library)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from ..schema.errors import RealtalkError
from ..schema.fileio import atomic_write


def write_pcm_wav(samples: np.ndarray, sample_rate: int, path: str | Path) -> Path:
    """(N,) mono float samples in [-1, 1] -> 16-bit PCM WAV at ``path``; returns the path."""
    target = Path(path)
    pcm = np.clip(np.round(np.asarray(samples, np.float64) * 32768.0), -32768, 32767).astype("<i2")
    try:
        with atomic_write(target) as handle, wave.open(handle, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(int(sample_rate))
            out.writeframes(pcm.tobytes())
    except OSError as err:
        raise RealtalkError(f"{target}: cannot write the wav ({err.strerror or err}); "
                            "check the folder exists and is writable") from None
    return target
