"""A tiny synth corpus (neutral Takes plus full neutral/emotional pairs), made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from realtalk_core.progress import Progress
from realtalk_core.synth.corpus import MotionCorpusConfig, run_motion_corpus


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory, task_path: Path) -> Path:
    """About 8 s of English speech: neutral main Takes, each utterance also paired in every emotion."""
    out = tmp_path_factory.mktemp("tiny_corpus")
    config = MotionCorpusConfig(minutes=0.13, seed=3, languages=("en-us",), neutral_share=1.0, pair_share=1.0,
                                pair_levels=(1.0,))
    run_motion_corpus(out, task_path, config, Progress("none"), workers=1)
    return out
