"""`realtalk-render` as a farm job: disjoint shards into one folder, exact resume, refusal to mix, SIGKILL safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

BIN = Path(sys.executable).parent


def render(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "realtalk-render"), *args, "--progress", "none"], capture_output=True,
                          text=True, timeout=300, env=dict(os.environ))


def frame_files(out: Path) -> dict[str, tuple[int, int]]:
    """Frame name -> (inode, mtime_ns): a re-rendered frame gets a new inode (atomic rename)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted((out / "frames").glob("*.png"))}


def test_two_shards_fill_one_folder_exactly_once_then_encode(make_take, tmp_path):
    take = make_take(frames=9, frame_start=3)
    out = tmp_path / "out"
    for shard in ("0/2", "1/2"):
        result = render(str(take), "--out", str(out), "--size", "48", "--shard", shard)
        assert result.returncode == 0, result.stderr
    statuses = [json.loads(p.read_text()) for p in sorted((out / "status").glob("*.json"))]
    assert [s["shard"] for s in statuses] == [[0, 2], [1, 2]]
    owned = [sorted(int(n) for n in s["frames"]) for s in statuses]
    assert owned == [[3, 5, 7, 9, 11], [4, 6, 8, 10]]                       # disjoint, interleaved
    assert sorted(p.name for p in (out / "frames").glob("*.png")) == [f"{n:06d}.png" for n in range(3, 12)]
    before = frame_files(out)
    video = tmp_path / "take.mp4"
    result = render(str(take), "--out", str(out), "--size", "48", "--video", str(video))
    assert result.returncode == 0, result.stderr
    assert video.stat().st_size > 1000 and frame_files(out) == before      # it only encoded


def test_resume_skips_finished_frames_and_redoes_a_damaged_one(make_take, tmp_path):
    take = make_take(frames=5)
    out = tmp_path / "out"
    assert render(str(take), "--out", str(out), "--size", "48").returncode == 0
    first = frame_files(out)
    (out / "frames" / "000002.png").write_bytes(b"not a png any more")
    assert render(str(take), "--out", str(out), "--size", "48").returncode == 0
    second = frame_files(out)
    assert {n for n in first if first[n] != second[n]} == {"000002.png"}
    assert cv2.imread(str(out / "frames" / "000002.png")) is not None
    assert render(str(take), "--out", str(out), "--size", "48", "--no-resume").returncode == 0
    assert all(frame_files(out)[n][0] != second[n][0] for n in second)     # --no-resume renders everything


def test_a_folder_of_another_take_or_size_is_refused_unless_forced(make_take, tmp_path):
    one, other = make_take("one", frames=3), make_take("other", frames=4)
    other_tracks = other / "tracks.npz"
    out = tmp_path / "out"
    assert render(str(one), "--out", str(out), "--size", "48").returncode == 0
    refused = render(str(other), "--out", str(out), "--size", "48")
    assert refused.returncode == 2 and "take_sha256" in refused.stderr and "--force" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and other_tracks.is_file()
    resized = render(str(one), "--out", str(out), "--size", "64")
    assert resized.returncode == 2 and "size" in resized.stderr
    assert render(str(other), "--out", str(out), "--size", "48", "--force").returncode == 0


@pytest.mark.parametrize("args,needle", [(["--shard", "2/2"], "0 to N-1"), (["--shard", "x"], "expected I/N"),
                                          (["--shard", "0/2", "--video", "v.mp4"], "realtalk-render encode")])
def test_bad_shards_are_one_line(make_take, tmp_path, args, needle):
    result = render(str(make_take(frames=2)), "--out", str(tmp_path / "o"), *args)
    assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr


def test_subject_shards_equal_one_full_render(make_take, tmp_path):
    take = make_take(frames=4)
    full, parts = tmp_path / "full", tmp_path / "parts"
    assert render(str(take), "--out", str(full), "--subject", "demo", "--size", "64").returncode == 0
    for shard in ("0/2", "1/2"):
        assert render(str(take), "--out", str(parts), "--subject", "demo", "--size", "64", "--shard", shard).returncode == 0
    for path in sorted((full / "frames").glob("*.png")):
        assert path.read_bytes() == (parts / "frames" / path.name).read_bytes(), path.name


def test_sigkill_mid_render_leaves_only_whole_frames_and_resume_finishes(make_take, tmp_path):
    take = make_take(frames=60)
    out = tmp_path / "out"
    command = [str(BIN / "realtalk-render"), str(take), "--out", str(out), "--subject", "demo", "--size", "128",
               "--progress", "json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:                       # wait for real progress, not for a clock
            event = json.loads(line)
            if event.get("stage") == "render" and event.get("done", 0) >= 3:
                break
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    survivors = sorted((out / "frames").glob("*.png"))
    assert 0 < len(survivors) < 60
    for path in survivors:                                # every visible frame is a whole PNG
        image = cv2.imread(str(path))
        assert image is not None and image.shape == (128, 128, 3), path.name
    before = frame_files(out)
    status = json.loads(next((out / "status").glob("*.json")).read_text())
    recorded = {f"{int(n):06d}.png" for n in status["frames"]}
    assert recorded <= set(before)
    result = render(str(take), "--out", str(out), "--subject", "demo", "--size", "128")
    assert result.returncode == 0, result.stderr
    after = frame_files(out)
    assert len(after) == 60
    assert all(after[name] == before[name] for name in recorded)   # finished frames were not rendered again
