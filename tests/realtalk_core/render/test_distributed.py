"""Multi-process training: ``torchrun --nproc_per_node=2 ... realtalk train subject`` (gloo on the CPU)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from realtalk_core.render import distributed
from realtalk_core.render.subject import Subject
from realtalk_core.render.trainer import LOG_FILE

TORCHRUN = Path(sys.executable).parent / "torchrun"


def test_without_torchrun_training_is_one_plain_process(monkeypatch):
    for name in ("WORLD_SIZE", "RANK", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)
    context, device = distributed.start("cpu")
    assert not context.enabled and context.is_main and device.type == "cpu"
    assert context.mean(0.25) == 0.25
    marker = object()
    assert distributed.wrap(marker, context, device) is marker      # no DDP around a single process
    context.barrier()
    context.close()


def test_torchrun_trains_on_two_processes_and_only_rank_zero_writes(tmp_path, tiny_subject_dataset):
    out = tmp_path / "ddp"
    command = [str(TORCHRUN), "--nproc_per_node=2", "--standalone", "-m", "realtalk_core.cli.main",
               "train", "subject", str(tiny_subject_dataset), "--out", str(out), "--preset", "tiny", "--iters", "4",
               "--progress", "none"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    report = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}"
    assert result.returncode == 0 and "Traceback" not in result.stderr, report
    # one summary, from rank 0 (rank 1 trains in step but reports nothing)
    assert result.stdout.count("trained subject for 4 steps") == 1, report
    assert result.stdout.count(f"subject: {out / 'subject.pt'}") == 1, report
    steps = [json.loads(line)["step"] for line in (out / LOG_FILE).read_text().splitlines()]
    assert steps == [1, 2, 3, 4]
    subject = Subject.load(out)
    assert subject.meta["step"] == 4
    assert subject.render(*_one_frame(tiny_subject_dataset), 64).shape == (1, 64, 64, 4)


def _one_frame(dataset: Path):
    from realtalk_core.process.dataset import load_dataset

    tracks = load_dataset(dataset).tracks
    return tracks["landmarks"][:1], tracks["blendshapes"][:1], tracks["head_pose"][:1]
