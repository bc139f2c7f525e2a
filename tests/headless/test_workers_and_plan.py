"""`--workers K` (local processes as sub-shards) and `--dry-run` (the plan and an estimate, nothing written)."""

from __future__ import annotations

import json

from realtalk_core.progress import parse_event
from realtalk_headless.workers import worker_shards


def test_worker_shards_split_a_shard_disjointly():
    assert worker_shards((0, 1), 3) == ["0/3", "1/3", "2/3"]
    assert worker_shards((1, 2), 2) == ["1/4", "3/4"]
    frames = list(range(20))
    parts = [frames[int(s.split("/")[0])::int(s.split("/")[1])] for s in worker_shards((1, 2), 2)]
    assert sorted(parts[0] + parts[1]) == frames[1::2]                      # exactly shard 1/2, split in two


def test_two_workers_render_the_same_frames_as_one_process(make_take, rt, tmp_path):
    take = rt.sway(make_take(frames=6, frame_start=2))
    one, two = tmp_path / "one", tmp_path / "two"
    assert rt.render(str(take), "--out", str(one), "--size", "64", "--progress", "none").returncode == 0
    result = rt.render(str(take), "--out", str(two), "--size", "64", "--workers", "2", "--progress", "json")
    assert result.returncode == 0, result.stderr
    events = [parse_event(line) for line in result.stdout.splitlines()]
    render_steps = [e.data for e in events if e.event == "progress" and e.data["stage"] == "render"]
    assert render_steps[-1]["done"] == 6 and render_steps[-1]["total"] == 6  # the workers' progress, summed
    assert events[-1].event == "done"
    assert sorted(p.name for p in (two / "status").iterdir()) == ["shard-0-of-2.json", "shard-1-of-2.json"]
    for path in sorted((one / "frames").glob("*.png")):
        assert path.read_bytes() == (two / "frames" / path.name).read_bytes(), path.name
    record = json.loads((two / "render.json").read_text())
    assert record["workers"] == 2 and record["progress"]["finished"] == 6
    again = rt.render(str(take), "--out", str(two), "--size", "64", "--progress", "json")   # one process resumes
    assert [parse_event(x).data for x in again.stdout.splitlines() if '"render"' in x][-1]["done"] == 6
    assert all(path.stat().st_mtime_ns == (two / "frames" / path.name).stat().st_mtime_ns
               for path in (two / "frames").glob("*.png"))


def test_a_failing_worker_is_one_line_naming_it(make_take, rt, tmp_path):
    result = rt.render(str(make_take(frames=2)), "--out", str(tmp_path / "o"), "--size", "66", "--workers", "2")
    assert rt.one_line_error(result, "multiple of 4") and "worker 0 (--shard 0/2)" in result.stderr


def test_dry_run_prints_the_plan_and_writes_nothing(make_take, rt, tmp_path):
    take = make_take(frames=8)
    out = tmp_path / "out"
    plan = rt.render(str(take), "--out", str(out), "--size", "64", "--shard", "1/2", "--dry-run")
    assert plan.returncode == 0, plan.stderr
    text = plan.stdout
    assert "frames: 0-7 (8 frames)" in text and "shard: 1/2: 4 frames" in text and "to render: 4" in text
    assert "measured by rendering one frame now" in text and "estimated time: 0m" in text
    assert not out.exists()
    assert rt.render(str(take), "--out", str(out), "--size", "64", "--frames", "0-3", "--progress", "none").returncode == 0
    plan = rt.render(str(take), "--out", str(out), "--size", "64", "--dry-run", "--progress", "json")
    outputs = [parse_event(line) for line in plan.stdout.splitlines()][-1].data["outputs"]
    assert outputs["already_done"] == "4" and outputs["to_render"] == "4"
    assert outputs["seconds_per_frame"].endswith("(median of 4 frames already rendered)")
