"""`realtalk process` throughput and tracking quality on a real-photo test video, on 2 cores.

Run: .venv/bin/python benchmarks/bench_process.py   (writes its section of docs/RESULTS.md)

The clip: scikit-image's astronaut photo under a slow synthetic camera move (pan, zoom,
roll), 1280x720 at 30 fps with speech audio, processed to 25 fps and 512x512 crops.
Because the motion is known, tracked landmarks can be mapped back onto the still photo:
their spread there is the tracker's true jitter (the photo does not move).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")

import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402

from realtalk_core.assets.store import FACE_LANDMARKER, require  # noqa: E402
from realtalk_core.phonetics.espeak import synthesize, write_wav  # noqa: E402
from realtalk_core.process import ProcessConfig, load_dataset, process_video  # noqa: E402
from realtalk_core.process.testclips import ClipSpec, write_clip  # noqa: E402
from realtalk_core.process.stability import photo_spread  # noqa: E402
from realtalk_core.progress import Progress  # noqa: E402

SECONDS = 12.0


class Timer(Progress):
    """Records when each stage opens, to split the wall time."""

    def __init__(self) -> None:
        super().__init__("none")
        self.marks: list[tuple[str, float]] = []

    def stage(self, name, total=None):
        self.marks.append((name, time.perf_counter()))
        return super().stage(name, total)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        wav = root / "speech.wav"
        write_wav(synthesize("Every morning the quiet painter mixes bright colours and hums a simple tune by the "
                             "open window, then walks to the market."), wav)
        spec = ClipSpec(kind="camera", seconds=SECONDS, fps=30.0, width=1280, height=720, audio=wav)
        motions = write_clip(root / "clip.mp4", spec)
        task = require(FACE_LANDMARKER)
        timer = Timer()
        start = time.perf_counter()
        process_video(root / "clip.mp4", root / "ds", task, timer, ProcessConfig())
        total = time.perf_counter() - start
        dataset = load_dataset(root / "ds")
        frames = dataset.frames
        stages = timer.marks + [("end", start + total)]
        split = {name: stages[i + 1][1] - t for i, (name, t) in enumerate(stages[:-1])}
        spread_raw = photo_spread(dataset, motions, spec.fps, smoothed=False)
        spread = photo_spread(dataset, motions, spec.fps, smoothed=True)
        report = dataset.manifest["tracking"]
    fps = frames / total
    lines = [
        "## `realtalk process`: video to dataset (`benchmarks/bench_process.py`)",
        "",
        f"Machine: {machine()}. Clip: the astronaut photo under a synthetic camera move, 1280x720, 30 fps, "
        f"{SECONDS:g} s, H.264 + AAC speech -> {frames} frames at 25 fps, 512x512 crops.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| end to end (decode, detect, crop, track, masks, plate, audio, write) | **{fps:.1f} frames/s** "
        f"({total:.1f} s) |",
    ]
    lines += [f"| stage `{name}` | {seconds:.1f} s |" for name, seconds in split.items()]
    lines += [
        f"| frames tracked | {100 * report['tracked_fraction']:.1f}% |",
        f"| landmark jitter, raw -> smoothed (mean abs. 2nd difference, inter-ocular units) | "
        f"{report['jitter_before']:.4f} -> {report['jitter_after']:.4f} |",
        f"| landmark spread on the still photo, raw -> smoothed (RMS, inter-ocular units) | "
        f"{spread_raw:.4f} -> {spread:.4f} |",
        f"| crop box steadiness (largest frame-to-frame move / side) | {report['crop_steadiness']:.4f} |",
        f"| mean tracking confidence | {report['mean_confidence']:.3f} |",
    ]
    text = "\n".join(lines)
    print(text)
    write_section("process", text)


if __name__ == "__main__":
    main()
