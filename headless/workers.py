"""``--workers K``: render one job with K local processes, each a sub-shard of the job's own shard.

Shard I of N split K ways is shards I + N*k of N*K (k = 0..K-1): still disjoint and interleaved, so the
status files, resume and ``encode`` work exactly as for a farm. Each worker is ``realtalk-render`` itself with
``--progress json``; their progress is summed into one bar, and each gets an equal share of the CPU threads.
Ctrl-C stops every worker cleanly (each flushes its status file); a worker that fails stops the others.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
from typing import IO

from realtalk_core.progress import Progress, parse_event

from .errors import RenderError
from .ledger import parse_shard, shard_frames
from .manifest import RECORD_NAME, refresh_manifest

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS")


def worker_shards(shard: tuple[int, int], workers: int) -> list[str]:
    """The sub-shards of ``shard`` for ``workers`` processes, as I/N strings."""
    index, count = shard
    return [f"{index + count * k}/{count * workers}" for k in range(workers)]


def worker_command(job, shard: str) -> list[str]:
    """The argument list of one worker: the job's own options, its sub-shard, no video, JSON progress."""
    command = [sys.executable, "-m", "realtalk_headless.cli", str(job.take), "--out", str(job.out),
               "--size", str(job.size), "--device", job.device, "--shard", shard, "--progress", "json",
               "--resume" if job.resume else "--no-resume"]
    for option, value in (("--frames", job.frames), ("--background", job.background), ("--subject", job.subject),
                          ("--assets", job.assets)):
        if value is not None:
            command += [option, str(value)]
    command += ["--force"] if job.force else []
    command += ["--paste-back"] if job.paste_back else []
    return command


def run_workers(job, frames: range, progress: Progress) -> None:
    """Render ``job``'s shard with ``job.workers`` processes; raises RenderError if any of them fails."""
    shards = worker_shards(parse_shard(job.shard), job.workers)
    env = dict(os.environ)
    threads = str(max(1, (os.cpu_count() or 1) // job.workers))
    for name in THREAD_VARIABLES:
        env.setdefault(name, threads)
    done = [0] * len(shards)
    errors: list[str] = [""] * len(shards)
    total = len(shard_frames(frames, parse_shard(job.shard)))
    lock = threading.Lock()
    with progress.stage("render", total=total) as stage, tempfile.TemporaryDirectory() as logs:
        processes, readers = [], []
        try:
            for k, shard in enumerate(shards):
                log = open(os.path.join(logs, f"{k}.err"), "w+")   # noqa: SIM115 - closed below
                process = subprocess.Popen(worker_command(job, shard), stdout=subprocess.PIPE, stderr=log,
                                           text=True, env=env, start_new_session=True,
                                           preexec_fn=_die_with_parent)
                processes.append((process, log))
                reader = threading.Thread(target=_follow, args=(process.stdout, k, done, errors, stage, lock),
                                          daemon=True)
                reader.start()
                readers.append(reader)
            for process, _ in processes:
                process.wait()
        except KeyboardInterrupt:
            _stop(processes, signal.SIGINT)
            raise
        except BaseException:
            _stop(processes, signal.SIGTERM)
            raise
        finally:
            for reader in readers:
                reader.join()
            failures = [(k, process.returncode, _last_line(log, errors[k]))
                        for k, (process, log) in enumerate(processes) if process.returncode not in (0, None)]
            for _, log in processes:
                log.close()
    if (job.out / RECORD_NAME).is_file():
        refresh_manifest(job.out, shard=job.shard or "0/1", workers=job.workers)
    if failures:
        k, code, message = failures[0]
        raise RenderError(f"worker {k} (--shard {shards[k]}) failed with exit code {code}: {message}")


def _follow(stream: IO[str], k: int, done: list[int], errors: list[str], stage, lock: threading.Lock) -> None:
    """Read one worker's JSON lines: add its progress to the shared bar, keep its error message."""
    for line in stream:
        try:
            event = parse_event(line)
        except ValueError:
            continue
        if event.event == "progress" and event.data.get("stage") == "render":
            with lock:
                step = int(event.data["done"]) - done[k]
                done[k] += step
                if step > 0:
                    stage.advance(step)
        elif event.event == "error":
            errors[k] = str(event.data.get("message", ""))


def _stop(processes: list, sig: int) -> None:
    for process, _ in processes:
        if process.poll() is None:
            process.send_signal(sig)
    for process, _ in processes:
        process.wait()


def _last_line(log: IO[str], message: str) -> str:
    if message:
        return message
    log.seek(0)
    lines = [line.strip() for line in log.read().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _die_with_parent() -> None:
    """In the worker, before exec: get SIGINT (a clean stop) if the parent render dies (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGINT)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
