"""`realtalk-render --subject`: photoreal frames from a trained subject (the bundled demo), composited and exact."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

from realtalk_core.render.subject import Subject, subject_dir

BIN = Path(sys.executable).parent


def render(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "realtalk-render"), *args], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ))


def read_rgb(path: Path) -> np.ndarray:
    return cv2.imread(str(path), cv2.IMREAD_COLOR)[:, :, ::-1].astype(np.int16)


def test_the_demo_subject_renders_a_face_over_its_plate_with_a_record(make_take, tmp_path):
    take = make_take(frames=4, frame_start=5)
    out = tmp_path / "out"
    result = render(str(take), "--out", str(out), "--subject", "demo", "--size", "64", "--progress", "none")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "frames").iterdir()) == [f"{n:06d}.png" for n in range(5, 9)]
    image = read_rgb(out / "frames" / "000006.png")
    plate = Subject.load(subject_dir("demo")).background(64).astype(np.int16)
    assert np.abs(image[:8, :8] - plate[:8, :8]).max() <= 2                  # a corner is the plate itself
    assert np.abs(image[24:40, 24:40] - plate[24:40, 24:40]).mean() > 20     # the middle is the person
    record = json.loads((out / "render.json").read_text())
    assert record["renderer"] == "subject" and len(record["subject_sha256"]) == 64
    assert len(record["take_sha256"]) == 64 and record["frames"] == {"first": 5, "last": 8}


def test_a_frame_is_the_same_rendered_alone_or_in_a_range(make_take, tmp_path):
    take = make_take(frames=5)
    whole, alone = tmp_path / "whole", tmp_path / "alone"
    assert render(str(take), "--out", str(whole), "--subject", "demo", "--size", "64", "--progress", "none").returncode == 0
    assert render(str(take), "--out", str(alone), "--subject", "demo", "--size", "64", "--frames", "3",
                  "--background", "plate", "--progress", "none").returncode == 0
    assert (whole / "frames" / "000003.png").read_bytes() == (alone / "frames" / "000003.png").read_bytes()


def test_a_colour_background_and_one_line_refusals(make_take, tmp_path):
    take = make_take(frames=2)
    out = tmp_path / "out"
    result = render(str(take), "--out", str(out), "--subject", "demo", "--size", "64",
                    "--background", "color:#00ff00", "--progress", "none")
    assert result.returncode == 0, result.stderr
    assert read_rgb(out / "frames" / "000000.png")[0, 0].tolist() == [0, 255, 0]
    for args, needle in ((["--subject", str(tmp_path / "nobody")], "no such subject"),
                         (["--subject", "demo", "--size", "66"], "multiple of 4"),
                         (["--subject", "demo", "--background", "transparent-ish"], "expected plate")):
        failed = render(str(take), "--out", str(tmp_path / "x"), *args, "--progress", "none")
        assert failed.returncode == 2 and needle in failed.stderr, failed.stderr
        assert "Traceback" not in failed.stderr and len(failed.stderr.strip().splitlines()) == 1
