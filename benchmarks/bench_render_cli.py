"""realtalk-render's cost beyond the model: compositing, PNG encoding, hashing, the status file, per frame.

A demo Take (espeak speech, the demo's head motion) is rendered with the bundled demo subject at 256 and 512:
once by the model alone (``Subject.render``), and twice through the whole job (``render_take``: Take loading,
compositing over the plate, atomic PNG writes on the writer thread, sha256, status and manifest files) with
two frame counts, so that fixed start-up costs cancel: overhead per frame = (job(N2) - job(N1)) / (N2 - N1) -
model per frame. The same frame's serial costs are timed on their own, to show what the writer thread hides.

Run: .venv/bin/python benchmarks/bench_render_cli.py [--frames 6 30] [--sizes 256 512] [--device cpu]
(writes its section of docs/RESULTS.md)
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402

import numpy as np  # noqa: E402

from realtalk_core.demo import build_demo_take  # noqa: E402
from realtalk_core.progress import Progress  # noqa: E402
from realtalk_core.render.condition import smooth_over_time  # noqa: E402
from realtalk_core.render.subject import Subject, subject_dir  # noqa: E402
from realtalk_core.schema import load_take  # noqa: E402
from realtalk_headless.backgrounds import composite  # noqa: E402
from realtalk_headless.frames import write_png  # noqa: E402
from realtalk_headless.job import RenderJob, render_take  # noqa: E402


def model_seconds(subject: Subject, take_dir: Path, size: int, frames: int) -> float:
    """Wall seconds of Subject.render alone on frames 0..frames-1 (batch 1, as the CLI on a CPU)."""
    tracks = load_take(take_dir).tracks
    kernel = subject.model.config.condition.smoothing
    landmarks = smooth_over_time(tracks.landmarks, kernel)
    blendshapes = smooth_over_time(tracks.blendshapes, kernel)
    began = time.perf_counter()
    subject.render(landmarks[:frames], blendshapes[:frames], tracks.head_pose[:frames], size, smooth=False)
    return time.perf_counter() - began


def job_seconds(take_dir: Path, size: int, frames: int, device: str, workdir: Path) -> float:
    """Wall seconds of a whole render_take of frames 0..frames-1 into a fresh folder."""
    out = workdir / f"job_{size}_{frames}_{time.perf_counter_ns()}"
    began = time.perf_counter()
    render_take(RenderJob(take=take_dir, out=out, size=size, frames=f"0-{frames - 1}", device=device),
                Progress("none"))
    return time.perf_counter() - began


def serial_costs(subject: Subject, take_dir: Path, size: int, workdir: Path, repeats: int = 10) -> dict[str, float]:
    """Seconds per frame of the work the writer thread takes off the model's path, each timed alone."""
    tracks = load_take(take_dir).tracks
    rgba = subject.render(tracks.landmarks[:1], tracks.blendshapes[:1], tracks.head_pose[:1], size)[0]
    plate = subject.background(size)
    began = time.perf_counter()
    for _ in range(repeats):
        image = composite(rgba, plate)
    compositing = (time.perf_counter() - began) / repeats
    began = time.perf_counter()
    for i in range(repeats):
        write_png(workdir / f"probe_{size}_{i}.png", image)
    writing = (time.perf_counter() - began) / repeats
    payload = (workdir / f"probe_{size}_0.png").read_bytes()
    began = time.perf_counter()
    for _ in range(repeats):
        hashlib.sha256(payload).hexdigest()
    hashing = (time.perf_counter() - began) / repeats
    return {"composite": compositing, "png": writing, "sha256": hashing, "png_kib": len(payload) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, nargs=2, default=(6, 30), metavar=("N1", "N2"))
    parser.add_argument("--sizes", type=int, nargs="+", default=(256, 512))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measurement; the median is kept")
    args = parser.parse_args()
    n1, n2 = args.frames
    subject = Subject.load(subject_dir("demo"), device=args.device)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        take_dir = build_demo_take(workdir / "demo")
        count = len(load_take(take_dir).tracks.landmarks)
        if count < n2:
            raise SystemExit(f"the demo Take has {count} frames; pass --frames with N2 <= {count}")
        for size in args.sizes:
            model_seconds(subject, take_dir, size, 1)                       # warm-up
            runs = []
            for _ in range(args.repeats):       # interleaved, so a busy moment hits both alike
                runs.append((model_seconds(subject, take_dir, size, n1), model_seconds(subject, take_dir, size, n2),
                             job_seconds(take_dir, size, n1, args.device, workdir),
                             job_seconds(take_dir, size, n2, args.device, workdir)))
            m1, m2, j1, j2 = (float(np.median(column)) for column in zip(*runs))
            model, per_frame = (m2 - m1) / (n2 - n1), (j2 - j1) / (n2 - n1)
            serial = serial_costs(subject, take_dir, size, workdir)
            overhead = per_frame - model
            worst = serial["composite"] + serial["png"] + serial["sha256"]    # if nothing overlapped at all
            rows.append(f"| {size} | {model * 1000:.0f} | {per_frame * 1000:.0f} | {overhead * 1000:+.0f} "
                        f"({100 * overhead / model:+.1f}%) | {serial['composite'] * 1000:.1f} | "
                        f"{serial['png'] * 1000:.1f} ({serial['png_kib']:.0f} KiB) | {serial['sha256'] * 1000:.2f} | "
                        f"{100 * worst / model:.1f}% |")
            print(rows[-1], flush=True)
    body = f"""## realtalk-render overhead (`benchmarks/bench_render_cli.py`)

Machine: {machine()}; device `{args.device}`; the bundled demo subject over its plate; a demo Take.
Model: `Subject.render` alone per frame. Job: a whole `render_take` per frame, from the difference of a {n1}- and a
{n2}-frame render (start-up cancels), median of {args.repeats} interleaved runs; the model column is measured
the same way on the same frames. Overhead = job - model; the serial columns are the costs the writer thread
overlaps with the next frame (each timed alone, on the main thread); their sum over the model time bounds the
overhead even with no overlap at all. On a busy 2-core machine the job - model difference is within its noise
(a few percent either way); the serial sum is the steadier figure.

| size | model ms/frame | job ms/frame | overhead ms/frame | composite ms | PNG encode+write ms | sha256 ms | serial sum / model |
|---|---|---|---|---|---|---|---|
""" + "\n".join(rows) + "\n"
    write_section("render_cli", body)
    print(body)


if __name__ == "__main__":
    main()
