"""``realtalk-render batch JOBS.toml``: many Takes in one command, each with its own overrides.

::

    [defaults]                 # optional: applies to every job
    size = 512
    subject = "demo"
    background = "plate"

    [[job]]
    take = "takes/hello"       # paths are relative to this file's folder
    out = "renders/hello"
    video = "renders/hello.mp4"

    [[job]]
    take = "takes/angry"
    out = "renders/angry"
    size = 256
    frames = "0-99"

A job's keys are the long options of ``realtalk-render`` with ``_`` for ``-`` (``paste_back = true``).
``--shard I/N`` on the command line renders shard I of every job, so a farm array of N tasks runs the whole
batch (shards write frames only; the same batch run without ``--shard`` then only encodes the videos).
Every job is checked before anything renders; a job that fails later does not stop the others, and
the command exits 2 naming the failed ones.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from realtalk_core.progress import Progress
from realtalk_core.schema.errors import RealtalkError

from .errors import RenderError
from .job import RenderJob, render_take
from .ledger import parse_shard

PATH_KEYS = ("take", "out", "video", "assets")
#: Set on the command line for the whole batch, not per job.
COMMAND_LINE_KEYS = ("shard", "dry_run", "resume", "force")
MAX_BATCH_BYTES = 4 << 20


def job_keys() -> dict[str, type]:
    types = {"take": Path, "out": Path, "video": Path, "assets": Path, "size": int, "crf": int, "workers": int,
             "paste_back": bool}
    return {f.name: types.get(f.name, str) for f in fields(RenderJob) if f.name not in COMMAND_LINE_KEYS}


def load_batch(path: Path) -> list[RenderJob]:
    """Parse and check ``path``; every problem is one RenderError line naming the file and the job."""
    if not path.is_file():
        raise RenderError(f"{path}: no such batch file; write a TOML file with [[job]] tables (take, out, ...)")
    if path.stat().st_size > MAX_BATCH_BYTES:
        raise RenderError(f"{path}: larger than {MAX_BATCH_BYTES >> 20} MiB; not a batch file")
    try:
        document = tomllib.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise RenderError(f"{path}: not valid TOML ({err})") from None
    unknown = sorted(set(document) - {"defaults", "job"})
    if unknown:
        raise RenderError(f"{path}: unknown table {unknown[0]!r}; a batch file has [defaults] and [[job]] tables")
    defaults = document.get("defaults", {})
    entries = document.get("job", [])
    if not isinstance(defaults, dict) or not isinstance(entries, list) or not entries:
        raise RenderError(f"{path}: no jobs; add at least one [[job]] table with take and out")
    jobs = [_job(path, i, {**defaults, **entry}) for i, entry in enumerate(entries, 1)]
    outs = [job.out.resolve() for job in jobs]
    for i, out in enumerate(outs):
        if out in outs[:i]:
            raise RenderError(f"{path}: job {i + 1} renders into {jobs[i].out}, like job {outs.index(out) + 1}; "
                              "give each job its own out")
    return jobs


def _job(path: Path, index: int, entry: Any) -> RenderJob:
    where = f"{path}: job {index}"
    if not isinstance(entry, dict):
        raise RenderError(f"{where}: expected a [[job]] table")
    keys = job_keys()
    values: dict[str, Any] = {}
    for key, value in entry.items():
        if key not in keys:
            hint = " (give it on the command line)" if key in COMMAND_LINE_KEYS else \
                f"; known keys: {', '.join(sorted(keys))}"
            raise RenderError(f"{where}: unknown key {key!r}{hint}")
        kind = keys[key]
        expected = str if kind is Path else kind
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise RenderError(f"{where}: {key} must be a {expected.__name__}, not {value!r}")
        values[key] = (path.parent / value) if kind is Path else value
    for key in ("take", "out"):
        if key not in values:
            raise RenderError(f"{where}: missing {key}")
    job = RenderJob(**values)
    try:
        job.check()
    except RealtalkError as err:
        raise RenderError(f"{where}: {err}") from None
    return job


def run_batch(path: Path, progress: Progress, **command_line: Any) -> dict[str, str]:
    """Render every job of ``path`` with the command-line settings (shard, dry_run, resume, force, workers)."""
    overrides = {k: v for k, v in command_line.items() if v is not None}
    jobs = [replace(job, **overrides) for job in load_batch(path)]
    if parse_shard(overrides.get("shard"))[1] > 1 and any(job.video for job in jobs):
        # A shard renders part of each Take; the same batch run without --shard then only encodes.
        jobs = [replace(job, video=None) for job in jobs]
        progress.warning(f"{path}: shards render frames only; run the batch again without --shard to encode the videos")
    for index, job in enumerate(jobs, 1):
        _preflight(path, index, job)
    failures: list[str] = []
    outputs: dict[str, str] = {}
    with progress.stage("jobs", total=len(jobs)) as stage:
        for index, job in enumerate(jobs, 1):
            stage.describe(f"job {index}: {job.take.name}")
            try:
                result = render_take(job, progress)
                outputs[f"job{index}"] = result.get("video") or result.get("frames") or str(job.out)
                if job.dry_run:
                    _print_plan(progress, index, result)
            except RealtalkError as err:
                if err.exit_code == 130:
                    raise
                failures.append(f"job {index} ({job.take}): {err}")
                progress.warning(failures[-1])
            stage.advance()
    if failures:
        raise RenderError(f"{path}: {len(failures)} of {len(jobs)} jobs failed; first: {failures[0]}")
    outputs["jobs"] = str(len(jobs))
    return outputs


def _preflight(path: Path, index: int, job: RenderJob) -> None:
    """What can be known before rendering: the Take loads and the frame range fits it."""
    from realtalk_core.schema import load_take

    from .frames import parse_frames

    try:
        parse_frames(job.frames, load_take(job.take, verify_audio=False))
    except RealtalkError as err:
        raise RenderError(f"{path}: job {index}: {err}; nothing was rendered") from None


def _print_plan(progress: Progress, index: int, plan: dict[str, Any]) -> None:
    if progress.mode != "json":
        print(f"job {index}:")
        for key, value in plan.items():
            print(f"  {key}: {value}")
