"""Training a subject: the folder it writes, a falling loss, exact resume, and the runs it refuses to mix."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import torch

from realtalk_core.render.data import fit_model_buffers, load_subject_data
from realtalk_core.render.losses import mouth_mask
from realtalk_core.render.model import TalkingHeadModel
from realtalk_core.render.subject import SUBJECT_FILE, TRAIN_STATE_FILE, Subject
from realtalk_core.render.train_config import SubjectTrainConfig, preset
from realtalk_core.render.trainer import LOG_FILE, train_subject
from realtalk_core.render.validation import render_frames
from realtalk_core.schema.errors import RealtalkError
from realtalk_core.training.checkpoint import CheckpointError, load_checkpoint

TERMS = ("photometric", "mouth", "ssim", "alpha", "head_rgb", "tv", "total", "psnr")


def _log(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / LOG_FILE).read_text().splitlines()]


class _Stopped(Exception):
    """Stands for a run killed part-way (Ctrl-C, a lost machine)."""


class _Stage:
    def __init__(self, stop_at: int) -> None:
        self.done, self.stop_at = 0, stop_at

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.done >= self.stop_at:          # after the step's update, before its log line and checkpoint
            raise _Stopped

    def describe(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


class _StopAt:
    """A progress reporter whose training stage stops the run at a given step."""

    mode = "none"

    def __init__(self, step: int) -> None:
        self.step = step

    def stage(self, name: str, total: int | None = None) -> _Stage:
        return _Stage(self.step if name == "train" else 1 << 30)


def test_a_tiny_run_writes_the_whole_subject_folder(trained_subject):
    names = {p.name for p in trained_subject.iterdir()}
    assert {SUBJECT_FILE, "background.png", TRAIN_STATE_FILE, "val", "loss.png", LOG_FILE,
            "train_config.json"} <= names
    assert not [n for n in names if n.endswith(".tmp") or n.startswith(".")]          # atomic writes left nothing
    renders = sorted(p.name for p in (trained_subject / "val").glob("*.png"))
    assert renders == ["step_000010.png", "step_000020.png", "step_000030.png"]
    side_by_side = cv2.imread(str(trained_subject / "val" / renders[-1]))
    assert side_by_side.shape == (160, 3 * 160, 3)                                      # truth | render | error
    plot = cv2.imread(str(trained_subject / "loss.png"))
    assert plot is not None and plot.shape[0] > 100
    plate = cv2.imread(str(trained_subject / "background.png"))
    assert plate.shape == (160, 160, 3)
    written = json.loads((trained_subject / "train_config.json").read_text())
    config = SubjectTrainConfig.from_json(written["config"])
    assert config.iterations == 30 and config.model.image_size == 160                  # the dataset's size
    assert written["step"] == 30 and len(written["dataset_sha256"]) == 64
    state, _ = load_checkpoint(trained_subject / TRAIN_STATE_FILE, "subject-train-state")
    assert state["step"] == 30 and state["history"] == _log(trained_subject)


def test_the_log_has_one_line_per_step_with_every_named_term(trained_subject):
    log = _log(trained_subject)
    assert [e["step"] for e in log] == list(range(1, 31))
    assert all(set(TERMS) <= set(e) and all(np.isfinite(e[t]) for t in TERMS) for e in log)
    assert [e["step"] for e in log if "val_psnr" in e] == [10, 20, 30]


def test_the_loss_falls_over_thirty_tiny_steps(trained_subject):
    # Crops are random (background, face, mouth), so compare like with like: the crops that hold the mouth.
    mouth = [e["photometric"] for e in _log(trained_subject) if e["mouth"] > 0]
    assert len(mouth) >= 10
    first, last = np.mean(mouth[:5]), np.mean(mouth[-5:])
    assert last < first, (first, last)


def test_training_brings_the_mouth_closer_to_the_frames(trained_subject, trained_config, tiny_subject_dataset):
    """The same six training frames, rendered whole by the model before and after training."""
    data = load_subject_data(tiny_subject_dataset, trained_config.model.condition.smoothing)
    config = replace(trained_config.model, image_size=data.size)
    torch.manual_seed(trained_config.seed)                                          # as the trainer starts
    untrained = TalkingHeadModel(config, torch.Generator().manual_seed(trained_config.seed))
    fit_model_buffers(untrained, data)
    frames = data.train[:: len(data.train) // 6][:6]
    mouth = mouth_mask(data.mouth_boxes[frames], data.size, (0, 0, data.size, data.size))[:, 0].numpy()
    errors = []
    for model in (untrained.eval(), Subject.load(trained_subject).model):
        renders, truths = render_frames(model, data, frames, torch.device("cpu"))
        errors.append(float((np.abs(renders - truths).mean(-1) * mouth).sum() / mouth.sum()))
    assert errors[1] < errors[0], errors


def _same(a: Any, b: Any) -> bool:
    """Exact equality of nested checkpoint contents (tensors bit for bit)."""
    if torch.is_tensor(a) or torch.is_tensor(b):
        return torch.is_tensor(a) and torch.is_tensor(b) and a.dtype == b.dtype and torch.equal(a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def test_a_resumed_run_is_bit_identical_to_a_straight_one(tmp_path, tiny_subject_dataset):
    # 8 steps: checkpoints every 2, the planes double at step 4 and the occupancy grid updates at 2, 4, 6.
    config = preset("tiny", iterations=8)
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    train_subject(tiny_subject_dataset, straight, config)
    with pytest.raises(_Stopped):
        train_subject(tiny_subject_dataset, resumed, config, progress=_StopAt(6))
    stopped, _ = load_checkpoint(resumed / TRAIN_STATE_FILE, "subject-train-state")
    assert stopped["step"] == 4 and stopped["plane_resolutions"] == [8, 16]             # saved before the doubling
    assert [e["step"] for e in _log(resumed)] == [1, 2, 3, 4, 5]                        # step 5 will be redone

    train_subject(tiny_subject_dataset, resumed, config, resume=True)

    a, _ = load_checkpoint(straight / SUBJECT_FILE, "subject")
    b, _ = load_checkpoint(resumed / SUBJECT_FILE, "subject")
    assert a["state"].keys() == b["state"].keys()
    differing = [k for k in a["state"] if not torch.equal(a["state"][k], b["state"][k])]
    assert differing == []
    assert a["plane_resolutions"] == b["plane_resolutions"] == [16, 32]
    a, _ = load_checkpoint(straight / TRAIN_STATE_FILE, "subject-train-state")
    b, _ = load_checkpoint(resumed / TRAIN_STATE_FILE, "subject-train-state")
    assert _same(a["optimizer"], b["optimizer"]) and a["step"] == b["step"] == 8
    assert _untimed(a["history"]) == _untimed(b["history"])
    assert _untimed(_log(resumed)) == _untimed(_log(straight))                          # each step logged once


def _untimed(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Log entries without their wall-clock field (the only one a resumed run may not repeat)."""
    return [{k: v for k, v in e.items() if k != "seconds"} for e in entries]


@pytest.fixture
def run_copy(tmp_path, trained_subject) -> Path:
    """A writable copy of the session's trained subject folder."""
    return Path(shutil.copytree(trained_subject, tmp_path / "run"))


def _one_line(error: pytest.ExceptionInfo, path: Path) -> str:
    message = str(error.value)
    assert "\n" not in message and str(path) in message, message
    return message


def test_an_out_folder_holding_a_run_needs_resume(run_copy, tiny_subject_dataset, trained_config):
    before = (run_copy / LOG_FILE).read_text()
    with pytest.raises(RealtalkError) as error:
        train_subject(tiny_subject_dataset, run_copy, trained_config)
    assert "already holds a training run" in _one_line(error, run_copy) and "--resume" in str(error.value)
    assert (run_copy / LOG_FILE).read_text() == before


def test_resuming_a_finished_run_changes_nothing(run_copy, tiny_subject_dataset, trained_config):
    before = {name: (run_copy / name).read_bytes() for name in (SUBJECT_FILE, TRAIN_STATE_FILE, LOG_FILE)}
    result = train_subject(tiny_subject_dataset, run_copy, trained_config, resume=True)
    assert result["step"] == 30 and result["psnr"] == _log(run_copy)[-1]["psnr"]    # the last step, reported again
    assert {name: (run_copy / name).read_bytes() for name in before} == before


def test_resuming_with_another_dataset_is_refused(tmp_path, run_copy, tiny_subject_dataset, trained_config):
    other = Path(shutil.copytree(tiny_subject_dataset, tmp_path / "other", ignore=shutil.ignore_patterns(".work")))
    manifest = json.loads((other / "dataset.json").read_text())
    manifest["labels"]["subject"] = "someone else"
    (other / "dataset.json").write_text(json.dumps(manifest))
    before = (run_copy / SUBJECT_FILE).read_bytes()
    with pytest.raises(CheckpointError) as error:
        train_subject(other, run_copy, trained_config, resume=True)
    assert "different dataset" in _one_line(error, run_copy / TRAIN_STATE_FILE)
    assert (run_copy / SUBJECT_FILE).read_bytes() == before


def _changed(message: str) -> list[str]:
    """The config fields a resume refusal names."""
    assert "training config differs in " in message, message
    return message.split("differs in ")[1].split(";")[0].split(", ")


def test_resuming_with_another_preset_or_seed_is_refused(run_copy, tiny_subject_dataset, trained_config):
    with pytest.raises(CheckpointError) as error:
        train_subject(tiny_subject_dataset, run_copy, preset("cpu-fast", iterations=30), resume=True)
    assert {"model", "patch", "grid_every"} <= set(_changed(_one_line(error, run_copy / TRAIN_STATE_FILE)))
    with pytest.raises(CheckpointError) as error:
        train_subject(tiny_subject_dataset, run_copy, replace(trained_config, seed=1), resume=True)
    assert _changed(_one_line(error, run_copy / TRAIN_STATE_FILE)) == ["seed"]
