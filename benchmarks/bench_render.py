"""Speed of rendering a trained subject on this machine, and of training one; writes docs/RESULTS.md "render_speed".

Frames/s at 256 and 512 px (after one warm-up frame, conditions of the dataset's val frames), field
evaluations/s, the machine's float32 matmul GFLOP/s measured in the same run, peak RSS of a fresh child
process rendering at 512 px, cpu-fast training iterations/s, and (with ``--train-log``) the step at which a
finished run's validation PSNR first reached 30 dB.

    python benchmarks/bench_render.py --subject DIR --dataset DIR [--frames 20] [--train-iterations 20]
                                      [--train-log RUN/train_log.jsonl] [--threads N]

Without --subject and --dataset it only says it skipped (``make bench`` runs every bench_*.py bare).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_common import Case, open_case  # noqa: E402
from results import machine, write_section  # noqa: E402

FPS_TARGETS = {256: 4.0, 512: 1.0}        #: frames/s on the CPU
RSS_TARGET_MB = 3 * 1024                  #: peak RSS at 512 px (3 GiB)
RSS_SIZE = 512
PSNR_GOAL = 30.0                          #: validation PSNR whose first step --train-log reports
WALL_KEYS = ("seconds", "elapsed", "wall_s", "time")


def matmul_gflops(n: int = 2048, repeats: int = 5) -> float:
    """Best-of-``repeats`` float32 (n x n) @ (n x n) throughput."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.matmul(a, b)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        torch.matmul(a, b)
        best = min(best, time.perf_counter() - start)
    return 2.0 * n ** 3 / best / 1e9


def render_speed(case: Case, size: int, frames: int, batch: int = 4) -> dict[str, float]:
    """Render ``frames`` val conditions (cycled) at ``size`` after one warm-up frame, ``batch`` frames per call
    (Subject.render's default). Also the fastest batch and the process CPU time, which show how much other
    jobs on the machine slowed the run."""
    index = np.resize(case.val, frames)
    case.render(index[:1], size)
    case.samples, best = 0, float("inf")
    start, cpu = time.perf_counter(), time.process_time()
    for first in range(0, frames, batch):
        part = index[first:first + batch]
        t = time.perf_counter()
        case.render(part, size)
        best = min(best, (time.perf_counter() - t) / len(part))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"fps": frames / seconds, "best_fps": 1.0 / best, "cpu_s_per_frame": cpu / frames,
            "samples_per_s": case.samples / seconds, "s_per_frame": seconds / frames,
            "samples_per_frame": case.samples / frames}


def vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def child_rss(subject: Path, dataset: Path, frames: int) -> dict[str, float]:
    """Peak RSS of a fresh process that loads the subject and renders ``frames`` frames at RSS_SIZE."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child-rss", "--subject", str(subject),
               "--dataset", str(dataset), "--frames", str(frames), "--threads", str(torch.get_num_threads())]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _child(args: argparse.Namespace) -> None:
    case = open_case(args.subject, args.dataset)
    loaded = vm_hwm_mb()
    case.render(np.resize(case.val, args.frames), RSS_SIZE)
    print(json.dumps({"loaded_mb": loaded, "peak_mb": vm_hwm_mb()}))


class StepClock:
    """Stands in for realtalk's Progress: notes when each training step is done."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def stage(self, name: str, total: int | None = None) -> "StepClock":
        return self

    def advance(self, count: int = 1) -> None:
        self.times.extend([time.perf_counter()] * count)

    def describe(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


def train_speed(dataset: Path, iterations: int) -> dict[str, float]:
    """cpu-fast iterations/s, over the steps after the last plane upsampling and before the final step (which
    also validates). Also the whole call's wall time (data loading, validation and checkpoint included)."""
    from realtalk_core.render.train_config import preset
    from realtalk_core.render.trainer import train_subject

    config = preset("cpu-fast", iterations=iterations)
    clock = StepClock()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        train_subject(dataset, Path(tmp) / "subject", config, progress=clock)
        wall = time.perf_counter() - start
    first = max(max(1, int(f * iterations)) for f in config.upsample_at)     # step index of the last upsampling
    times = clock.times[first:-1] if iterations - first >= 3 else clock.times[:-1]
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else float("nan")
    return {"its": rate, "measured": len(times) - 1, "wall": wall, "iterations": iterations}


def psnr_reached(path: Path) -> str:
    """A sentence on when a finished run's validation PSNR first reached PSNR_GOAL."""
    entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    val = [e for e in entries if "val_psnr" in e]
    if not val:
        return f"`{path}` holds no validation entries."
    last = f"{len(entries)} logged steps, last validation PSNR {val[-1]['val_psnr']:.2f} dB at step {val[-1]['step']}"
    hit = next((e for e in val if e["val_psnr"] >= PSNR_GOAL), None)
    if hit is None:
        return f"`{path}`: validation PSNR never reached {PSNR_GOAL:g} dB ({last})."
    wall = next((f"{hit[k]:.0f} s" for k in WALL_KEYS if isinstance(hit.get(k), (int, float))), None)
    return (f"`{path}`: validation PSNR first reached {PSNR_GOAL:g} dB at **step {hit['step']}** "
            f"({hit['val_psnr']:.2f} dB; wall time {wall or 'not recorded in the log'}); {last}.")


def gpu_speed(args: argparse.Namespace) -> str:
    if not torch.cuda.is_available():
        return "GPU: no GPU on this machine."
    case = open_case(args.subject, args.dataset, device="cuda")
    result = render_speed(case, 512, args.frames)
    return (f"GPU ({torch.cuda.get_device_name(0)}): {result['fps']:.2f} frames/s at 512 px, "
            f"{result['samples_per_s'] / 1e6:.1f} M field samples/s.")


def speed_row(size: int, s: dict[str, float]) -> str:
    verdict = "pass" if s["fps"] >= FPS_TARGETS[size] else "**fail**"
    return (f"| {size} | {s['fps']:.3f} | >= {FPS_TARGETS[size]:g} | {verdict} | {s['s_per_frame']:.3f} "
            f"| {s['best_fps']:.3f} | {s['cpu_s_per_frame']:.3f} | {s['samples_per_frame'] / 1e3:.0f} k "
            f"| {s['samples_per_s'] / 1e6:.2f} M |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subject", type=Path, help="trained subject folder (subject.pt)")
    parser.add_argument("--dataset", type=Path, help="its dataset (val conditions; training speed)")
    parser.add_argument("--frames", type=int, default=20, help="frames timed per size (and rendered for RSS, up to 8)")
    parser.add_argument("--train-iterations", type=int, default=20, help="cpu-fast iterations to time (0: skip)")
    parser.add_argument("--train-log", type=Path, help="train_log.jsonl of a finished training run")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/RESULTS.md alone")
    parser.add_argument("--child-rss", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    if args.subject is None or args.dataset is None:      # `make bench` runs every bench_*.py without arguments
        print("bench_render.py: skipped; it needs --subject DIR --dataset DIR (a trained subject and its dataset)")
        return
    if args.child_rss:
        _child(args)
        return
    start = time.perf_counter()
    gflops = matmul_gflops()
    print(f"matmul 2048x2048 float32: {gflops:.1f} GFLOP/s")
    case = open_case(args.subject, args.dataset)
    speeds = {}
    for size in FPS_TARGETS:
        speeds[size] = render_speed(case, size, args.frames)
        print(f"{size} px: {speeds[size]['fps']:.3f} frames/s (fastest batch {speeds[size]['best_fps']:.3f}), "
              f"{speeds[size]['samples_per_s'] / 1e6:.2f} M samples/s")
    rss = child_rss(args.subject, args.dataset, min(args.frames, 8))
    print(f"peak RSS at {RSS_SIZE} px (child): {rss['peak_mb']:.0f} MB")
    gflops_after = matmul_gflops()
    train = train_speed(args.dataset, args.train_iterations) if args.train_iterations > 0 else None
    gpu = gpu_speed(args)
    seconds = time.perf_counter() - start

    rows = "\n".join(speed_row(size, s) for size, s in speeds.items())
    rss_ok = "pass" if rss["peak_mb"] <= RSS_TARGET_MB else "**fail**"
    train_text = (f"**Training** (`cpu-fast` preset, {train['iterations']} iterations from scratch on this dataset): "
                  f"**{train['its']:.2f} iterations/s** over {train['measured']} steps at full plane resolution "
                  f"(the whole call, loading, validation and checkpoint included: {train['wall']:.0f} s)."
                  if train else "Training speed not measured (`--train-iterations 0`).")
    log_text = psnr_reached(args.train_log) if args.train_log else \
        f"Steps to {PSNR_GOAL:g} dB validation PSNR: no `--train-log` given."
    body = "\n".join([
        "## Subject render speed (`benchmarks/bench_render.py`)", "",
        f"Machine: {machine()}. torch threads: {torch.get_num_threads()}. {case.describe()} CPU, float32, "
        f"{args.frames} frames per size after one warm-up frame (val conditions), `Subject.render` with its default "
        f"batch. Field samples are the fine samples the model evaluates (`model.last_samples`). "
        f"Run time {seconds:.0f} s.",
        "", "| size (px) | frames/s | target | | s/frame | fastest batch, frames/s | CPU s/frame | field samples/frame "
        "| field samples/s |", "|---|---|---|---|---|---|---|---|---|", rows, "",
        f"CPU s/frame is process CPU time over all threads; near {torch.get_num_threads()} x s/frame when the "
        "machine is otherwise idle, far below it when other jobs share the cores.", "",
        f"Machine speed in the same run: float32 matmul 2048x2048 **{gflops:.1f} GFLOP/s** before the renders, "
        f"{gflops_after:.1f} GFLOP/s after (best of 5; other jobs on the machine lower both).", "",
        f"**Peak RSS at {RSS_SIZE} px: {rss['peak_mb']:.0f} MB** (VmHWM of a fresh process that loads the subject and "
        f"renders {min(args.frames, 8)} frames; {rss['loaded_mb']:.0f} MB after loading) against <= "
        f"{RSS_TARGET_MB} MB (3 GiB): {rss_ok}.", "",
        train_text, "", log_text, "", gpu,
    ])
    print(body)
    if not args.no_write:
        write_section("render_speed", body)


if __name__ == "__main__":
    main()
