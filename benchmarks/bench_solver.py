"""Blendshape solver speed and accuracy (landmarks -> 52 weights), on 2 cores.

Run: .venv/bin/python benchmarks/bench_solver.py   (writes its section of docs/RESULTS.md)

Until the rig's own deltas land, the basis is 52 smooth, localized, pairwise-overlapping displacement
fields on the canonical face (the same generator as tests/realtalk_core/rig/test_rig_solver.py).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402

from realtalk_core.assets.canonical_mesh import load_canonical_mesh, neutral_landmarks  # noqa: E402
from realtalk_core.assets.store import FACE_LANDMARKER, require  # noqa: E402
from realtalk_core.rig.solver import BlendshapeSolver  # noqa: E402
from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES  # noqa: E402

FRAMES = 20_000


def smooth_basis(neutral: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    centres = neutral[rng.choice(478, size=26, replace=False)]
    deltas = np.zeros((52, 478, 3))
    for k in range(52):
        centre = centres[k // 2] + rng.normal(0, 0.004, 3)
        falloff = np.exp(-np.sum((neutral - centre) ** 2, axis=1) / (2 * 0.012 ** 2))
        direction = rng.normal(size=3)
        deltas[k] = 0.005 * falloff[:, None] * direction / np.linalg.norm(direction)
    return deltas


def main() -> None:
    rng = np.random.default_rng(0)
    neutral = neutral_landmarks(load_canonical_mesh(require(FACE_LANDMARKER))).astype(np.float64)
    deltas = smooth_basis(neutral, rng)
    start = time.perf_counter()
    solver = BlendshapeSolver(neutral, deltas, ARKIT_BLENDSHAPE_NAMES)
    setup_s = time.perf_counter() - start
    truth = rng.uniform(0, 1, (FRAMES, 52)) * (rng.uniform(size=(FRAMES, 52)) < 0.3)
    landmarks = (neutral + np.einsum("tk,kpc->tpc", truth, deltas)).astype(np.float32)
    solver.solve(landmarks[:100])  # warm-up
    start = time.perf_counter()
    found = solver.solve(landmarks)
    solve_s = time.perf_counter() - start
    error = np.abs(found - truth).mean()
    rate = FRAMES / solve_s
    print(f"setup {setup_s * 1000:.1f} ms; {FRAMES} frames in {solve_s:.2f} s = {rate:,.0f} frames/s; "
          f"mean |w - w_true| = {error:.4f}")
    write_section("solver", "\n".join([
        "## Blendshape solver (`benchmarks/bench_solver.py`)", "",
        f"Machine: {machine()}. {FRAMES} frames, 52 channels, bounded least squares (Jacobi-preconditioned "
        "FISTA), all frames vectorised.", "",
        "| setup | frames/s | mean abs weight error (round trip) |", "|---|---|---|",
        f"| {setup_s * 1000:.1f} ms | {rate:,.0f} | {error:.4f} |", "",
        "Basis: 52 synthetic smooth, overlapping displacement fields on the canonical face, standing in "
        "until the rig's own deltas land; rerun then."]))


if __name__ == "__main__":
    main()
