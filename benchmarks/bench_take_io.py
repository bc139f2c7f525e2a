"""Take I/O speed: save, load+validate, and header-only reads, for short to hour-long Takes.

Run: .venv/bin/python benchmarks/bench_take_io.py   (writes its section of docs/RESULTS.md)
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402

from realtalk_core.assets.canonical_mesh import load_canonical_mesh, neutral_landmarks  # noqa: E402
from realtalk_core.assets.store import FACE_LANDMARKER, require  # noqa: E402
from realtalk_core.schema import Take, Tracks, load_take, read_header, save_take  # noqa: E402

CASES = (("10 s", 250), ("1 min", 1500), ("10 min", 15000), ("1 hour", 90000))  # at 25 fps


def best_of(repeats: int, action) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    landmarks = neutral_landmarks(load_canonical_mesh(require(FACE_LANDMARKER)))
    rng = np.random.default_rng(0)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, frames in CASES:
            tracks = Tracks.neutral(frames, landmarks)
            tracks.landmarks += rng.normal(0, 1e-3, tracks.landmarks.shape).astype(np.float32)
            take = Take(fps=25.0, tracks=tracks)
            folder = Path(tmp) / label.replace(" ", "_")
            repeats = 3 if frames <= 15000 else 1
            save_s = best_of(repeats, lambda: save_take(take, folder))
            load_s = best_of(repeats, lambda: load_take(folder))
            header_s = best_of(5, lambda: read_header(folder))
            size_mb = (folder / "tracks.npz").stat().st_size / 1e6
            rows.append((label, frames, size_mb, save_s, load_s, frames / load_s, header_s * 1000))
            print(f"{label:7s} {frames:6d} frames {size_mb:8.1f} MB  save {save_s:6.3f} s  "
                  f"load+validate {load_s:6.3f} s ({frames / load_s:9.0f} frames/s)  header {header_s * 1000:.2f} ms")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB")
    lines = ["## Take I/O (`benchmarks/bench_take_io.py`)", "",
             f"Machine: {machine()}.", "",
             "Save = validate + atomic write of tracks.npz and take.json (with its sha256). "
             "Load = sha256 check + guarded npz read + full validation. Best of 3 (1 for the hour).", "",
             "| take (25 fps) | frames | tracks.npz | save | load + validate | load rate | header only |",
             "|---|---|---|---|---|---|---|"]
    for label, frames, size_mb, save_s, load_s, rate, header_ms in rows:
        lines.append(f"| {label} | {frames} | {size_mb:.1f} MB | {save_s:.3f} s | {load_s:.3f} s | "
                     f"{rate:,.0f} frames/s | {header_ms:.2f} ms |")
    lines += ["", f"Peak RSS of the whole run: {peak_mb:.0f} MB."]
    write_section("take_io", "\n".join(lines))


if __name__ == "__main__":
    main()
