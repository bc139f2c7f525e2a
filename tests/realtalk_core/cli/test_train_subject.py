"""`realtalk train subject`: JSON-lines progress for the front ends, and one-line refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
import torch

from realtalk_core.cli.main import main
from realtalk_core.progress import parse_event
from realtalk_core.render.subject import Subject

BIN = Path(sys.executable).parent


@pytest.fixture
def single_torch_thread() -> Iterator[None]:
    """Tiny tensors on a busy 2-core machine: one intra-op thread is several times faster."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_json_progress_reports_the_training_stage_and_the_subject(tmp_path, tiny_subject_dataset, capsys,
                                                                    single_torch_thread):
    out = tmp_path / "subject"
    code = main(["train", "subject", str(tiny_subject_dataset), "--out", str(out), "--preset", "tiny",
                 "--iters", "3", "--progress", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    events = [parse_event(line) for line in captured.out.splitlines()]         # every stdout line is an event
    assert events[0].event == "start" and events[-1].event == "done"
    train = [e.data for e in events if e.event == "progress" and e.data["stage"] == "train"]
    assert train and all(e["total"] == 3 for e in train)
    assert [e["done"] for e in train] == sorted(e["done"] for e in train) and train[-1]["done"] == 3
    assert "PSNR" in train[-1]["note"]
    outputs = events[-1].data["outputs"]
    assert outputs["subject"] == str(out / "subject.pt")
    assert outputs["loss_plot"] == str(out / "loss.png") and Path(outputs["loss_plot"]).is_file()
    assert Subject.load(outputs["subject"]).meta["step"] == 3
    assert sum(e.event == "done" for e in events) == 1


def _refused(capsys, *args: str) -> str:
    code = main(["train", "subject", *args])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("realtalk: error: "), captured.err
    return captured.err


def test_a_pt_file_as_out_is_refused(tmp_path, capsys):
    err = _refused(capsys, str(tmp_path), "--out", str(tmp_path / "x.pt"), "--preset", "tiny")
    assert f"--out {tmp_path / 'x.pt'}: a subject is a folder" in err
    assert not (tmp_path / "x.pt").exists()


def test_a_motion_preset_or_two_datasets_are_refused(tmp_path, capsys):
    assert "subject presets are tiny, cpu-fast, gpu-quality" in _refused(
        capsys, str(tmp_path), "--out", str(tmp_path / "s"), "--preset", "cpu")
    assert "one dataset folder" in _refused(capsys, str(tmp_path), str(tmp_path), "--out", str(tmp_path / "s"))


def test_a_missing_dataset_is_one_line_without_a_traceback(tmp_path):
    missing, out = tmp_path / "no_such_dataset", tmp_path / "subject"
    result = subprocess.run([str(BIN / "realtalk"), "train", "subject", str(missing), "--out", str(out),
                             "--preset", "tiny", "--progress", "none"],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"realtalk: error: {missing}: not a dataset")
    assert not out.exists()                                                   # nothing written for a failed start
