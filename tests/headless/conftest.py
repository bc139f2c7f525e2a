"""Shared by the realtalk-render tests (the ``rt`` fixture): run the CLI, read frames, make Takes whose frames all
differ."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from realtalk_core.schema import load_take, save_take

BIN = Path(sys.executable).parent


def render(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "realtalk-render"), *args], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ))


def read_image(path: Path) -> np.ndarray:
    """RGB, or RGBA when the PNG has alpha."""
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    return image[:, :, [2, 1, 0, 3]] if image.shape[-1] == 4 else image[:, :, ::-1]


def sway(take: Path, metres: float = 0.04) -> Path:
    """Move the head sideways across the Take, so that every frame is different."""
    loaded = load_take(take)
    count = len(loaded.tracks.head_pose)
    loaded.tracks.head_pose[:, 0, 3] = np.linspace(-metres, metres, count, dtype=np.float32)
    save_take(loaded, take)
    return take


def one_line_error(result: subprocess.CompletedProcess, needle: str) -> bool:
    return (result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr
            and len(result.stderr.strip().splitlines()) == 1)


@pytest.fixture
def rt() -> SimpleNamespace:
    """``rt.render(*args)``, ``rt.read_image(path)``, ``rt.sway(take)``, ``rt.one_line_error(result, needle)``."""
    return SimpleNamespace(render=render, read_image=read_image, sway=sway, one_line_error=one_line_error, bin=BIN)
