"""Test clips for `realtalk process`: real-photo videos with known motion, built once per session."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from realtalk_core.phonetics.espeak import synthesize, write_wav
from realtalk_core.process import PassConfig, ProcessConfig
from realtalk_core.process.testclips import ClipSpec, write_clip

pytest.importorskip("skimage")
pytest.importorskip("mediapipe")


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory) -> Path:
    wav = tmp_path_factory.mktemp("speech") / "speech.wav"
    write_wav(synthesize("The painter mixes bright colours by the open window."), wav)
    return wav


@pytest.fixture(scope="session")
def make_clip(tmp_path_factory) -> Callable[..., tuple[Path, np.ndarray, ClipSpec]]:
    """make_clip(name, **ClipSpec fields) -> (path, motions, spec); cached by name, so one name = one spec."""
    folder = tmp_path_factory.mktemp("clips")
    cache: dict[str, tuple[Path, np.ndarray, ClipSpec]] = {}

    def make(name: str, suffix: str = ".mp4", **fields) -> tuple[Path, np.ndarray, ClipSpec]:
        if name not in cache:
            spec = ClipSpec(**{"seconds": 3.6, "width": 480, "height": 360, **fields})
            path = folder / f"{name}{suffix}"
            cache[name] = (path, write_clip(path, spec), spec)
        return cache[name]

    return make


@pytest.fixture(scope="session")
def fast_config() -> ProcessConfig:
    """Small crops and short chunks: the same code paths, quicker."""
    return ProcessConfig(passes=PassConfig(size=256, chunk_frames=30))
