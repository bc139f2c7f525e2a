"""Blendshape solver speed and accuracy on the face rig (landmarks -> 52 ARKit weights), on 2 cores.

Run: .venv/bin/python benchmarks/bench_solver.py   (writes its section of docs/RESULTS.md)

Round trip: sparse random weights (2 to 8 channels per frame, never both of an opposing
pair) -> the linear rig's landmarks (+ optional tracker noise) -> solver -> weights.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")          # the 2-core budget, before numpy loads BLAS
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402

from realtalk_core.assets.canonical_mesh import load_canonical_mesh  # noqa: E402
from realtalk_core.assets.store import FACE_LANDMARKER, require  # noqa: E402
from realtalk_core.rig import BlendshapeSolver, FaceRig, unobservable  # noqa: E402
from realtalk_core.rig.samples import sparse_rig_weights  # noqa: E402
from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, BLENDSHAPE_GROUPS  # noqa: E402

FRAMES = 20_000
NOISE_M = (0.0, 0.3e-3, 0.5e-3)


def main() -> None:
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    rig = FaceRig.build(load_canonical_mesh(require(FACE_LANDMARKER)))
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    solver = BlendshapeSolver.for_rig(rig)
    setup_s = time.perf_counter() - start
    hidden = unobservable(rig)
    truth = sparse_rig_weights(FRAMES, rng)
    clean = rig.evaluate(truth).astype(np.float32)
    solver.solve(clean[:100])                                            # warm-up
    rows = []
    for noise in NOISE_M:
        landmarks = clean + rng.normal(0, noise, clean.shape).astype(np.float32) if noise else clean
        times = []
        for _ in range(3):
            start = time.perf_counter()
            found = solver.solve(landmarks)
            times.append(time.perf_counter() - start)
        error = np.abs(found - truth).mean(axis=0)                       # (52,)
        per_group = {group: float(np.mean([error[ARKIT_BLENDSHAPE_NAMES.index(n)] for n in names
                                           if n not in hidden] or [np.nan]))
                     for group, names in BLENDSHAPE_GROUPS.items()}
        observable = [k for k, n in enumerate(ARKIT_BLENDSHAPE_NAMES) if n not in hidden]
        rate = FRAMES / min(times)
        rows.append((noise, rate, error[observable].mean(), error[observable].max(),
                     ARKIT_BLENDSHAPE_NAMES[observable[int(np.argmax(error[observable]))]], per_group,
                     {n: error[ARKIT_BLENDSHAPE_NAMES.index(n)] for n in hidden}))
        print(f"noise {noise * 1000:.1f} mm: {rate:,.0f} frames/s; observable mean |dw| {rows[-1][2]:.4f}, "
              f"worst {rows[-1][4]} {rows[-1][3]:.4f}; groups " +
              ", ".join(f"{g} {v:.4f}" for g, v in per_group.items()))
    print(f"rig build {build_s * 1000:.0f} ms, solver setup {setup_s * 1000:.1f} ms")
    groups = list(BLENDSHAPE_GROUPS)
    lines = ["## Blendshape solver on the face rig (`benchmarks/bench_solver.py`)", "",
             f"Machine: {machine()}. BLAS threads: {os.environ['OMP_NUM_THREADS']}. {FRAMES} frames, 52 channels, "
             "bounded least squares (Jacobi-preconditioned FISTA with per-frame restarts and stopping, "
             "then an opposing-pairs pass), all frames vectorised. Best of 3.", "",
             f"Rig build {build_s * 1000:.0f} ms; solver setup {setup_s * 1000:.1f} ms. Round trip: 2-8 random "
             "channels per frame -> linear rig landmarks (+ Gaussian noise per coordinate) -> weights. "
             f"Errors are mean |w - w_true| over observable channels (all but {', '.join(hidden)}).", "",
             "| landmark noise | frames/s | mean error | worst channel | " + " | ".join(groups) + " |",
             "|---|---|---|---|" + "---|" * len(groups)]
    for noise, rate, mean, worst, worst_name, per_group, _ in rows:
        lines.append(f"| {noise * 1000:.1f} mm | {rate:,.0f} | {mean:.4f} | {worst_name} {worst:.4f} | "
                     + " | ".join("-" if np.isnan(per_group[g]) else f"{per_group[g]:.4f}" for g in groups) + " |")
    lines += ["", "Not observable from landmarks (excluded above; see docs/rig.md): "
              + "; ".join(f"`{n}` (error {rows[0][6][n]:.3f} clean, {rows[-1][6][n]:.3f} at "
                          f"{NOISE_M[-1] * 1000:.1f} mm)" for n in hidden) + "."]
    write_section("solver", "\n".join(lines))


if __name__ == "__main__":
    main()
