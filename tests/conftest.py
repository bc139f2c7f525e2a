"""Shared fixtures: real canonical landmarks from the verified asset, and a Take factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from realtalk_core.assets.canonical_mesh import load_canonical_mesh, neutral_landmarks
from realtalk_core.assets.store import FACE_LANDMARKER, require
from realtalk_core.schema import Take, Tracks, attach_audio, save_take

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=150,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=150)
#: A long campaign: HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/realtalk_core/schema/test_fuzz.py
settings.register_profile("fuzz", deadline=None, max_examples=4000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def task_path() -> Path:
    """The verified face_landmarker.task (make setup fetches it)."""
    return require(FACE_LANDMARKER)


@pytest.fixture(scope="session")
def canonical_landmarks(task_path: Path) -> np.ndarray:
    """(478, 3) neutral landmarks in metres."""
    return neutral_landmarks(load_canonical_mesh(task_path))


def write_wav(path: Path, seconds: float = 0.5, rate: int = 16000) -> Path:
    """A short 16-bit mono tone, for Takes that need audio."""
    import wave
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(samples.tobytes())
    return path


@pytest.fixture
def make_wav() -> Callable[..., Path]:
    """``make_wav(path, seconds=0.5, rate=16000)`` writes a 16-bit mono tone."""
    return write_wav


@pytest.fixture
def make_take(tmp_path: Path, canonical_landmarks: np.ndarray) -> Callable[..., Path]:
    """Factory: ``make_take(name="t", frames=6, audio=True)`` writes a valid Take and returns its folder."""

    def factory(name: str = "take", frames: int = 6, audio: bool = True, frame_start: int = 0) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        tracks = Tracks.neutral(frames, canonical_landmarks)
        tracks.head_pose[:, 2, 3] = -0.6
        ref = None
        if audio:
            wav = write_wav(tmp_path / f"{name}_src.wav", seconds=frames / 25)
            ref = attach_audio(folder, wav, 16000)
        save_take(Take(fps=25.0, tracks=tracks, frame_start=frame_start, audio=ref,
                       provenance={"tool": "tests"}), folder)
        return folder

    return factory
