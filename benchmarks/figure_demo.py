"""`realtalk demo` timed from a fresh folder, and its pictures copied into docs/ for the README.

Runs the CLI exactly as `make demo` does (a new process, `--device auto`), so the wall time includes
start-up and model loading. Writes docs/demo_strip.png (frames along the emotion arc),
docs/demo_contact_sheet.png and docs/demo_curves.png, and the "demo" section of docs/RESULTS.md.

    python benchmarks/figure_demo.py [--out DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGET_S = 300.0
STRIP_TILE = 200


def strip(out: Path, target: Path) -> Path:
    """Six frames along the clip, each labelled with its time and strongest emotion."""
    from realtalk_core.demo import peak_times
    from realtalk_core.schema import load_take
    from realtalk_core.schema.channels import EMOTION_NAMES
    from realtalk_headless.frames import frame_path

    take = load_take(out / "take")
    duration = take.frame_count / take.fps
    peaks = peak_times(duration)
    times = [peaks["neutral"], 0.5 * (peaks["neutral"] + peaks["happy"]), peaks["happy"], peaks["surprise"],
             0.5 * (peaks["surprise"] + peaks["sad"]), peaks["sad"]]
    tiles = []
    for seconds in times:
        index = min(take.frame_count - 1, int(round(seconds * take.fps)))
        image = cv2.imread(str(frame_path(out / "render" / "frames", take.frame_start + index)))
        image = cv2.resize(image, (STRIP_TILE, STRIP_TILE), interpolation=cv2.INTER_AREA)
        mix = take.tracks.emotion[index]
        label = f"{seconds:4.1f} s  {EMOTION_NAMES[int(mix.argmax())]} {mix.max():.2f}"
        cv2.rectangle(image, (0, STRIP_TILE - 22), (STRIP_TILE, STRIP_TILE), (0, 0, 0), -1)
        cv2.putText(image, label, (6, STRIP_TILE - 7), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 255), 1,
                    cv2.LINE_AA)
        tiles.append(image)
    cv2.imwrite(str(target), np.concatenate(tiles, axis=1))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="demo output folder (default: a fresh temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary demo folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="realtalk_demo_"))
    out = args.out or work / "demo"
    began = time.perf_counter()
    result = subprocess.run([str(BIN / "realtalk"), "demo", "--out", str(out), "--progress", "json"],
                            capture_output=True, text=True, timeout=3600, check=False)
    wall = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"realtalk demo failed: {result.stderr.strip()[-400:]}")
    report = json.loads((out / "report.json").read_text())
    docs = ROOT / "docs"
    strip(out, docs / "demo_strip.png")
    shutil.copyfile(out / "contact_sheet.png", docs / "demo_contact_sheet.png")
    shutil.copyfile(out / "curves.png", docs / "demo_curves.png")
    frames = len(list((out / "render" / "frames").glob("*.png")))
    rows = "\n".join(f"| {name} | {value:.1f} s |" for name, value in report["seconds"].items())
    verdict = "pass" if wall <= TARGET_S else "**over**"
    body = "\n".join([
        "## `make demo` (`benchmarks/figure_demo.py`)", "",
        f"Machine: {machine()}. {report['device_note']}. `realtalk demo` in a fresh process and a fresh folder: "
        f"{report['speech_seconds']:.1f} s of espeak-ng speech, {frames} frames at "
        f"{report['config']['size']} px, the shipped motion and emotion models, the demo subject.", "",
        "| stage | wall time |", "|---|---|", rows,
        f"| **whole command** (start-up, imports and model loading included) | **{wall:.1f} s** |", "",
        f"Target: 5 minutes or less on a 2-core CPU after setup: {verdict}. The render stage includes the "
        "H.264 + AAC encode. A second run reuses every finished frame.", "",
        "![](demo_strip.png)",
    ])
    print(body)
    write_section("demo", body)
    if not args.keep and args.out is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
