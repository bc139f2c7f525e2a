"""Proxy renderer speed: frames/s at 256 and 512, split into rasterizing and PNG writing.

Run: .venv/bin/python benchmarks/bench_proxy_render.py   (writes its section of docs/RESULTS.md)
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402

from realtalk_core.assets.canonical_mesh import load_canonical_mesh, neutral_landmarks  # noqa: E402
from realtalk_core.assets.store import FACE_LANDMARKER, require  # noqa: E402
from realtalk_core.synth.idle import head_poses  # noqa: E402
from realtalk_headless.frames import write_png  # noqa: E402
from realtalk_headless.proxy import ProxyRenderConfig, ProxyRenderer  # noqa: E402

import numpy as np  # noqa: E402

FRAMES = 100


def main() -> None:
    mesh = load_canonical_mesh(require(FACE_LANDMARKER))
    landmarks = neutral_landmarks(mesh)
    poses = head_poses(np.random.default_rng(0), np.linspace(0, 1, FRAMES, dtype=np.float32), 25.0)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (256, 512):
            renderer = ProxyRenderer(mesh, replace(ProxyRenderConfig(), size=size))
            renderer.render(landmarks, poses[0])  # warm-up
            start = time.perf_counter()
            images = [renderer.render(landmarks, pose) for pose in poses]
            raster = (time.perf_counter() - start) / FRAMES
            start = time.perf_counter()
            for i, image in enumerate(images):
                write_png(Path(tmp) / f"{size}_{i:06d}.png", image)
            png = (time.perf_counter() - start) / FRAMES
            rows.append((size, raster, png))
            print(f"{size}x{size}: render {raster * 1000:.1f} ms, PNG write {png * 1000:.1f} ms, "
                  f"{1 / (raster + png):.0f} frames/s end to end")
    lines = ["## Proxy renderer (`benchmarks/bench_proxy_render.py`)", "",
             f"Machine: {machine()}. One process, {FRAMES} frames of the demo head motion, 2x supersampling.", "",
             "| size | render | PNG write (atomic) | frames/s end to end |", "|---|---|---|---|"]
    for size, raster, png in rows:
        lines.append(f"| {size}² | {raster * 1000:.1f} ms | {png * 1000:.1f} ms | {1 / (raster + png):.0f} |")
    write_section("proxy_render", "\n".join(lines))


if __name__ == "__main__":
    main()
