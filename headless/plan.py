"""``--dry-run``: what a render would do and about how long it would take, without writing anything.

The time per frame comes from frames this render already finished (their recorded seconds), else from
rendering one frame now (after one warm-up frame) and throwing it away.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from realtalk_core.schema import Take

from .frames import frame_path
from .ledger import parse_shard, shard_frames
from .sources import FrameSource


def make_plan(job, take: Take, frames: range, source: FrameSource, identity: dict[str, Any]) -> dict[str, Any]:
    """The plan of ``job`` as outputs (all values printable); renders at most two frames, writes nothing."""
    from .ledger import finished_frames

    shard = parse_shard(job.shard)
    numbers = shard_frames(frames, shard)
    known = finished_frames(job.out, identity) if (job.out / "status").is_dir() and job.resume else {}
    frames_dir = job.out / "frames"
    done = [n for n in numbers if n in known and frame_path(frames_dir, n).is_file()]
    todo = len(numbers) - len(done)
    seconds = [float(known[n]["seconds"]) for n in done]
    if seconds:
        per_frame, basis = statistics.median(seconds), f"median of {len(seconds)} frames already rendered"
    elif todo:
        per_frame, basis = _measure(source, numbers[0]), "measured by rendering one frame now"
    else:
        per_frame, basis = 0.0, "nothing left to render"
    estimate = todo * per_frame / job.workers
    return {"plan": "dry run: nothing was rendered or written", "take": str(job.take), "out": str(job.out),
            "renderer": source.identity["renderer"], "subject": str(source.settings.get("subject", "-")),
            "device": job.device, "frame_size": f"{source.width}x{source.height}",
            "frames": f"{frames.start}-{frames.stop - 1} ({len(frames)} frames)",
            "shard": f"{shard[0]}/{shard[1]}: {len(numbers)} frames", "already_done": str(len(done)),
            "to_render": str(todo), "workers": str(job.workers),
            "seconds_per_frame": f"{per_frame:.3f} ({basis})",
            "estimated_time": _duration(estimate) + (f" with {job.workers} workers, if each has its own cores"
                                                     if job.workers > 1 else "")}


def _measure(source: FrameSource, number: int) -> float:
    source.render([number])                      # warm-up: first-call allocations and kernel selection
    began = time.perf_counter()
    source.render([number])
    return time.perf_counter() - began


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h {minutes:02d}m {secs:02d}s" if hours else f"{minutes}m {secs:02d}s"
