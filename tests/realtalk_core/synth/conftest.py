"""The canonical rig and real espeak-ng utterances, built once per session for the synth tests."""

from __future__ import annotations

from typing import Callable

import pytest

from realtalk_core.assets.canonical_mesh import load_canonical_mesh
from realtalk_core.phonetics.espeak import Utterance, synthesize
from realtalk_core.phonetics.voices import VoiceSpec
from realtalk_core.rig import FaceRig


@pytest.fixture(scope="session")
def synth_rig(task_path) -> FaceRig:
    return FaceRig.build(load_canonical_mesh(task_path))


@pytest.fixture(scope="session")
def utterance() -> Callable[..., Utterance]:
    """utterance(text, **VoiceSpec fields) -> a real espeak-ng Utterance, cached."""
    cache: dict[tuple, Utterance] = {}

    def make(text: str, **voice) -> Utterance:
        key = (text, tuple(sorted(voice.items())))
        if key not in cache:
            cache[key] = synthesize(text, VoiceSpec(**voice))
        return cache[key]

    return make
