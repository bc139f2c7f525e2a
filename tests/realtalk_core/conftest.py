"""Session fixtures: a tiny synth corpus (neutral Takes plus neutral/emotional pairs) and a tiny rendered subject."""

from __future__ import annotations

from pathlib import Path

import pytest

from realtalk_core.progress import Progress
from realtalk_core.synth.corpus import MotionCorpusConfig, run_motion_corpus
from realtalk_core.synth.subject.render import SubjectRenderConfig
from realtalk_core.synth.subject_pipeline import SubjectConfig, run_subject


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory, task_path: Path) -> Path:
    """About 8 s of English speech: neutral main Takes, each utterance also paired in every emotion."""
    out = tmp_path_factory.mktemp("tiny_corpus")
    config = MotionCorpusConfig(minutes=0.13, seed=3, languages=("en-us",), neutral_share=1.0, pair_share=1.0,
                                pair_levels=(1.0,))
    run_motion_corpus(out, task_path, config, Progress("none"), workers=1)
    return out


@pytest.fixture(scope="session")
def tiny_subject_config() -> SubjectConfig:
    """Small and fast: 160 px, 4 samples, about 4 s of speech."""
    return SubjectConfig(minutes=0.02, seed=3, size=160, render=SubjectRenderConfig(samples=4))


@pytest.fixture(scope="session")
def tiny_subject_dataset(tmp_path_factory, task_path: Path, tiny_subject_config: SubjectConfig) -> Path:
    """A finished `realtalk synth subject` dataset rendered by Blender, made once and shared (read it, never write)."""
    pytest.importorskip("bpy")
    out = tmp_path_factory.mktemp("subject") / "syn"
    run_subject(out, task_path, tiny_subject_config, Progress("none"), workers=1)
    return out
