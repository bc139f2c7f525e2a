"""The speech track of a video (or a separate audio file) as 16 kHz mono WAV, plus its features."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np

from ..audio import AudioFeatureConfig, AudioFeatures, extract_features
from ..schema.fileio import atomic_write
from .errors import ProcessError

SAMPLE_RATE = 16000


def extract_wav(source: Path, target: Path, duration: float | None = None) -> None:
    """Decode ``source``'s first audio stream to ``target`` (16 kHz mono s16), written atomically."""
    import imageio_ffmpeg

    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", "-i", str(source), "-map", "0:a:0",
               "-vn", "-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le"]
    if duration is not None:
        command += ["-t", f"{duration:.6f}"]
    command += ["-f", "s16le", "-"]
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ProcessError(f"{source}: the audio could not be decoded ({(message or ['ffmpeg failed'])[-1][:160]}); "
                           "re-export the file with a standard audio codec (AAC, MP3, PCM)")
    with atomic_write(target) as handle:
        with wave.open(handle, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(result.stdout)


def read_wav(path: Path) -> np.ndarray:
    """(N,) float32 samples in [-1, 1] of a 16 kHz mono s16 WAV written by :func:`extract_wav`."""
    with wave.open(str(path), "rb") as handle:
        if handle.getframerate() != SAMPLE_RATE or handle.getnchannels() != 1 or handle.getsampwidth() != 2:
            raise ProcessError(f"{path}: expected 16 kHz mono 16-bit audio; re-run `realtalk process`")
        data = handle.readframes(handle.getnframes())
    return np.frombuffer(data, "<i2").astype(np.float32) / 32768.0


def speech_features(wav: Path, fps: float, frames: int, config: AudioFeatureConfig | None = None) -> AudioFeatures:
    return extract_features(read_wav(wav), SAMPLE_RATE, fps, frames, config)
