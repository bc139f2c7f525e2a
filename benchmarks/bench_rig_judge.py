"""The rig judged by MediaPipe's own blendshape model: the agreement matrix of the major channels.

Run: .venv/bin/python benchmarks/bench_rig_judge.py   (writes its section of docs/RESULTS.md
and the contact image docs/rig_judge.png)

Each major channel is turned on in the rig, the face is drawn by the proxy renderer from the
judge's views, and MediaPipe's FaceLandmarker scores it (``realtalk_headless.judge``). A
cell is the mean rise of a MediaPipe score over the baseline face.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")          # the 2-core budget, before numpy loads BLAS
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import dataclasses  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import RESULTS, machine, write_section  # noqa: E402

from realtalk_core.assets.canonical_mesh import load_canonical_mesh  # noqa: E402
from realtalk_core.assets.store import FACE_LANDMARKER, require  # noqa: E402
from realtalk_core.rig import FaceRig  # noqa: E402
from realtalk_headless.judge import (ON_TOP_OF, RELATED, Agreement, JudgeConfig, run_judge,  # noqa: E402
                                     stimulus, view_pose)
from realtalk_headless.proxy import ProxyRenderConfig, ProxyRenderer  # noqa: E402

FIGURE = RESULTS.parent / "rig_judge.png"
#: Variants of the default judge for the robustness line: weaker expressions, one view only.
VARIANTS = {"weight 0.7": {"weight": 0.7}, "weight 0.5": {"weight": 0.5},
            "frontal view only": {"views": ((0.0, 0.0),)}}
#: Why the channels that fail do (checked against the matrix by ``main``).
FAILURES = {
    "mouthClose": "lips closed over a half-open jaw read to MediaPipe as a closed jaw with pursed, rolled "
                  "lips: its jawOpen falls and mouthPucker / mouthRoll rise more than mouthClose",
    "cheekPuff": "MediaPipe's blendshape model leaves cheekPuff near 0 even for real puffed cheeks "
                 "(google-ai-edge/mediapipe issue #4436); the rig's 8 mm outward push of both cheeks "
                 "moves no MediaPipe score here either",
}


def short(name: str) -> str:
    """Column header: "mouthSmileLeft" -> "mouthSmileL"."""
    return name[:-4] + "L" if name.endswith("Left") else name[:-5] + "R" if name.endswith("Right") else name


def matrix_lines(agreement: Agreement) -> list[str]:
    """Markdown table: rows driven, columns the major channels, the strongest unrelated one, the verdict."""
    columns = list(agreement.driven)
    lines = ["| driven \\ MediaPipe | " + " | ".join(short(c) for c in columns)
             + " | top unrelated | top related | verdict |", "|---|" + "---|" * (len(columns) + 3)]
    for channel in agreement.driven:
        cells = []
        for column in columns:
            value = agreement.value(channel, column)
            cells.append(f"**{value:+.2f}**" if column == channel else f"{value:+.2f}")
        rival, rise = agreement.top_unrelated(channel)
        kin = agreement.top_related(channel)
        kin_cell = f"{kin[0]} {kin[1]:+.2f}" if kin else "-"
        verdict = "pass" if agreement.passed(channel) else "FAIL"
        lines.append(f"| `{channel}` | " + " | ".join(cells) + f" | {rival} {rise:+.2f} | {kin_cell} | {verdict} |")
    return lines


def contact_sheet(agreement: Agreement, rig: FaceRig, renderer: ProxyRenderer, target: Path,
                  columns: int = 5, crop: float = 0.84) -> Path:
    """Frontal renders of the baseline and of each driven channel, captioned with its own MediaPipe rise."""
    config = agreement.config
    pose = view_pose(0.0, 0.0, config.distance_m)
    tiles = [(rig.weights(), "neutral (baseline)", "")]
    for channel in agreement.driven:
        base = ON_TOP_OF.get(channel)
        label = f"{short(channel)} on {short(base)} {config.base_weight:g}" if base else short(channel)
        verdict = "pass" if agreement.passed(channel) else "FAIL"
        tiles.append((stimulus(rig, channel, config)[1], label, f"own {agreement.own(channel):+.2f} {verdict}"))
    size = config.size
    side = int(crop * size)
    top, left = int(0.09 * size), (size - side) // 2
    images = []
    for weights, label, caption in tiles:
        image = renderer.render(rig.pose(weights), pose)[top:top + side, left:left + side].copy()
        for row, text in enumerate((label, caption)):
            cv2.putText(image, text, (4, 14 + 15 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.42, (255, 255, 255), 1,
                        cv2.LINE_AA)
        images.append(image)
    while len(images) % columns:
        images.append(np.zeros_like(images[0]))
    grid = np.vstack([np.hstack(images[k:k + columns]) for k in range(0, len(images), columns)])
    target.parent.mkdir(parents=True, exist_ok=True)
    from PIL import Image   # with matplotlib, in the media extra
    # A 256-colour palette keeps the sheet small enough to live in the repository.
    Image.fromarray(grid).quantize(colors=256).save(target, optimize=True)
    return target


def main() -> None:
    config = JudgeConfig()
    task = require(FACE_LANDMARKER)
    mesh = load_canonical_mesh(task)
    rig = FaceRig.build(mesh)
    start = time.perf_counter()
    agreement = run_judge(config, rig=rig, mesh=mesh, task_path=task)
    seconds = time.perf_counter() - start
    lines = matrix_lines(agreement)
    print("\n".join(lines))
    verdicts = agreement.verdicts
    failing = [c for c, ok in verdicts.items() if not ok]
    unexplained = set(failing) ^ set(FAILURES)
    if unexplained:
        print(f"note: verdicts changed for {sorted(unexplained)}; update FAILURES and the docs")
    sweep = {label: run_judge(dataclasses.replace(config, **change), rig=rig, mesh=mesh, task_path=task).verdicts
             for label, change in VARIANTS.items()}
    renderer = ProxyRenderer(mesh, ProxyRenderConfig(size=config.size))
    contact_sheet(agreement, rig, renderer, FIGURE)
    print(f"{sum(verdicts.values())}/{len(verdicts)} recognised in {seconds:.1f} s; wrote {FIGURE}")

    views = ", ".join(f"({yaw:+g}, {pitch:+g})" for yaw, pitch in config.views)
    body = [
        "## Rig judged by MediaPipe's blendshape model (`benchmarks/bench_rig_judge.py`)", "",
        f"Machine: {machine()}. Judge run: {seconds:.1f} s.", "",
        "Each major channel of the face rig is set to weight "
        f"{config.weight:g}, the face is drawn by the proxy renderer ({config.size} px, head at "
        f"{config.distance_m:g} m) from {len(config.views)} views (yaw, pitch in degrees: {views}), and "
        "MediaPipe's FaceLandmarker (`face_landmarker.task`, blendshapes on) scores every image. A cell is "
        "the rise of a MediaPipe score over the baseline face, averaged over the views; the driven channel's "
        "own cell is bold. `mouthClose` is driven on top of `jawOpen` "
        f"{config.base_weight:g} (weights jawOpen = mouthClose = {config.base_weight:g}, lips just meeting) "
        "and compared with that jaw alone, because it only means something while the jaw is open. "
        "All 51 MediaPipe scores take part; the table shows the major ones.", "",
        "A channel is **recognised** when its own rise beats the rise of every *unrelated* MediaPipe channel. "
        "Related pairs (the only exceptions): "
        + "; ".join(f"`{a}`-`{b}` ({reason})" for a, b, reason in RELATED)
        + ". Mirror partners are not exempt: a left channel must also beat its right twin.", "",
        *lines, "",
        f"**{sum(verdicts.values())} of {len(verdicts)} recognised.** "
        + ("Not recognised: " + "; ".join(f"`{c}`: {FAILURES.get(c, 'see the matrix')}" for c in failing) + "."
           if failing else "All recognised."), "",
        "Robustness (everything else as above): " + "; ".join(
            f"{label}: {sum(v.values())}/{len(v)} recognised, failing "
            + ", ".join(f"`{c}`" for c, ok in v.items() if not ok) for label, v in sweep.items()) + ".", "",
        "Reading it: a fully closed lid raises MediaPipe's eyeSquint more than its eyeBlink (MediaPipe's "
        "landmarks put the closed lid line higher than the rig closes it, as if the lower lid had risen), "
        "and the funnel raises mouthPucker more than mouthFunnel; both are related pairs. Funnel and "
        "cheekPuff move the lips and cheeks mostly along z, which is why the side and tilted views are used.", "",
        "Frontal renders of each stimulus, captioned with the driven channel's own rise: `docs/rig_judge.png`.",
    ]
    write_section("rig_judge", "\n".join(body))


if __name__ == "__main__":
    main()
