"""Audio fixtures: speech-like test signals written as files in any format the decoder reads."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Callable

import numpy as np
import pytest


def _speech_like(seconds: float, rate: int, seed: int = 0) -> np.ndarray:
    """(N,) a voiced buzz whose pitch glides 110-190 Hz, with syllable-rate loudness, a moving
    formant-like brightness and a -40 dB noise floor (so every mel band holds some energy)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(round(seconds * rate))) / rate
    f0 = 150 + 40 * np.sin(2 * np.pi * 0.4 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    bright = 0.5 + 0.5 * np.sin(2 * np.pi * 0.9 * t)
    voice = sum((bright ** (k / 4)) / k * np.sin(k * phase) for k in range(1, 25))
    envelope = np.clip(np.sin(2 * np.pi * 2.5 * t), 0.05, None)
    return (0.25 * envelope * voice + 0.01 * rng.normal(size=t.size)).astype(np.float32)


def _tone(seconds: float, rate: int, hz: float = 440.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(round(seconds * rate))) / rate
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def encode(source: Path, target: Path, *codec: str) -> Path:
    """Encode ``source`` to ``target`` with the project's ffmpeg (``codec``: e.g. "-c:a", "aac")."""
    import imageio_ffmpeg

    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y", "-i", str(source), *codec,
                    str(target)], check=True, capture_output=True, timeout=60)
    return target


@pytest.fixture(scope="session")
def speech_like() -> Callable[..., np.ndarray]:
    """``speech_like(seconds, rate, seed=0)``: (N,) float32 speech-like signal."""
    return _speech_like


@pytest.fixture(scope="session")
def tone() -> Callable[..., np.ndarray]:
    """``tone(seconds, rate, hz=440, amplitude=0.5)``: (N,) float32 sine."""
    return _tone


@pytest.fixture
def write_audio(tmp_path: Path) -> Callable[..., Path]:
    """``write_audio(name, samples, rate, subtype=None)``: samples (N,) or (N, channels) via soundfile;
    names ending in .mp3 or .m4a are written as WAV first and encoded by ffmpeg."""
    import soundfile

    def write(name: str, samples: np.ndarray, rate: int, subtype: str | None = None) -> Path:
        path = tmp_path / name
        if path.suffix in (".mp3", ".m4a"):
            wav = write(path.stem + "_source.wav", samples, rate)
            codec = {".mp3": ("-c:a", "libmp3lame", "-b:a", "128k"), ".m4a": ("-c:a", "aac", "-b:a", "160k")}
            return encode(wav, path, *codec[path.suffix])
        soundfile.write(str(path), samples, rate, subtype=subtype)
        return path

    return write
