"""docs/render_backgrounds.png: one frame of a demo Take rendered by `realtalk-render` with each --background.

Plate (the default), a colour, an image file (a generated gradient, scaled to cover) and transparent (shown over a
checkerboard), side by side, each labelled with its option. Everything goes through the real CLI.

Run: .venv/bin/python benchmarks/figure_render_backgrounds.py [--size 256] [--frame 40]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

from realtalk_core.demo import build_demo_take

DOCS = Path(__file__).resolve().parents[1] / "docs"
BIN = Path(sys.executable).parent


def checkerboard(size: int, cell: int = 16) -> np.ndarray:
    y, x = np.indices((size, size)) // cell
    return np.where(((x + y) % 2)[..., None] == 0, 200, 150).astype(np.uint8).repeat(3, axis=2)


def render(take: Path, out: Path, size: int, frame: int, background: str) -> np.ndarray:
    subprocess.run([str(BIN / "realtalk-render"), str(take), "--out", str(out), "--size", str(size),
                    "--frames", str(frame), "--background", background, "--progress", "none"], check=True)
    image = cv2.imread(str(out / "frames" / f"{frame:06d}.png"), cv2.IMREAD_UNCHANGED)
    if image.shape[-1] == 4:
        alpha = image[:, :, 3:4].astype(np.float32) / 255
        image = (image[:, :, :3] * alpha + checkerboard(size) * (1 - alpha)).astype(np.uint8)
    return image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--frame", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        take = build_demo_take(work / "demo")
        wall = work / "wall.png"
        ramp = np.linspace(0, 1, 300, dtype=np.float32)[:, None]
        gradient = np.concatenate([60 + 120 * ramp, 90 + 60 * ramp, 160 - 80 * ramp], axis=1)   # BGR, vertical
        cv2.imwrite(str(wall), np.repeat(gradient[:, None, :], 400, axis=1).astype(np.uint8))
        cases = [("plate", "plate (default)"), ("color:#2f4f6f", "color:#2f4f6f"), (str(wall), "wall.png"),
                 ("transparent", "transparent")]
        tiles = []
        for i, (background, label) in enumerate(cases):
            tile = render(take, work / f"out{i}", args.size, args.frame, background)
            cv2.putText(tile, f"--background {label}", (6, args.size - 8), cv2.FONT_HERSHEY_SIMPLEX, 0.42,
                        (255, 255, 255), 1, cv2.LINE_AA)
            tiles.append(tile)
    sheet = np.concatenate(tiles, axis=1)
    DOCS.mkdir(exist_ok=True)
    cv2.imwrite(str(DOCS / "render_backgrounds.png"), sheet)
    print(DOCS / "render_backgrounds.png")


if __name__ == "__main__":
    main()
