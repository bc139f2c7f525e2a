"""Fixtures of the subject renderer's tests: one tiny subject trained once per session on the tiny rendered dataset."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest
import torch

from realtalk_core.render.train_config import SubjectTrainConfig, preset
from realtalk_core.render.trainer import train_subject

#: Steps of the session's tiny run (enough for the loss to fall on the mouth crops).
TRAINED_STEPS = 30


@contextmanager
def one_thread() -> Iterator[None]:
    """Tiny tensors on a busy 2-core machine: one intra-op thread is several times faster, and as exact."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


@pytest.fixture(autouse=True)
def single_torch_thread() -> Iterator[None]:
    with one_thread():
        yield


@pytest.fixture(scope="session")
def trained_config() -> SubjectTrainConfig:
    """The tiny preset run for TRAINED_STEPS steps, validated every 10."""
    return replace(preset("tiny", iterations=TRAINED_STEPS), val_every=10)


@pytest.fixture(scope="session")
def trained_subject(tmp_path_factory, tiny_subject_dataset: Path, trained_config: SubjectTrainConfig) -> Path:
    """A subject folder trained with ``trained_config``, made once. Read it, never write (copy it first)."""
    out = tmp_path_factory.mktemp("trained") / "subject"
    config = trained_config
    with one_thread():
        train_subject(tiny_subject_dataset, out, config)
    return out
