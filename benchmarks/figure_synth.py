"""docs/synth_performance.png: one synthetic performance as curves (lip gap and chin drop from the landmarks,
emotion mix), with the phones it was made from. Run: .venv/bin/python benchmarks/figure_synth.py"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from realtalk_core.assets.canonical_mesh import load_canonical_mesh  # noqa: E402
from realtalk_core.assets.store import FACE_LANDMARKER, require  # noqa: E402
from realtalk_core.phonetics import VoiceSpec, synthesize  # noqa: E402
from realtalk_core.rig import FaceRig  # noqa: E402
from realtalk_core.schema import EMOTION_NAMES  # noqa: E402
from realtalk_core.synth.closure import lip_gap  # noqa: E402
from realtalk_core.synth.curves import transition  # noqa: E402
from realtalk_core.synth.performance import perform  # noqa: E402

TEXT = "Bob packed a warm map, five apples and a blue umbrella for the trip."
OUT = Path(__file__).resolve().parents[1] / "docs" / "synth_performance.png"


def main() -> None:
    rig = FaceRig.build(load_canonical_mesh(require(FACE_LANDMARKER)))
    utt = synthesize(TEXT, VoiceSpec("en-us", "f2"))
    curve = transition("happy", "surprise", utt.duration / 2, 1.0, (0.8, 1.0))
    perf = perform(rig, utt.phones, utt.samples, utt.sample_rate, curve, seed=0)
    faces = perf.landmarks(rig)
    t = np.arange(perf.frame_count) / perf.fps
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 5.2), sharex=True, height_ratios=(3, 2))
    top.plot(t, lip_gap(rig, faces) * 1000, label="inner-lip gap (mm, from landmarks)", color="#c0392b")
    top.plot(t, (rig.neutral[152, 1] - faces[:, 152, 1]) * 1000, label="chin drop (mm)", color="#2c3e50")
    for p in utt.phones:
        closing = p.symbol in ("p", "b", "m")
        if closing:
            top.axvspan(p.start, p.end, color="#f1c40f", alpha=0.35, lw=0)
        if p.symbol != "_":
            top.text((p.start + p.end) / 2, -2.2, p.symbol, ha="center", fontsize=7,
                     color="#b7950b" if closing else "#555")
    top.set_ylim(-3.5, None)
    top.set_ylabel("mm")
    top.legend(loc="upper right", fontsize=8)
    top.set_title(f"\"{TEXT}\"  (espeak-ng en-us+f2; yellow: /p b m/)", fontsize=9)
    for name, colour in (("neutral", "#95a5a6"), ("happy", "#27ae60"), ("surprise", "#8e44ad")):
        bottom.plot(t, perf.emotion[:, EMOTION_NAMES.index(name)], label=name, color=colour)
    bottom.set_ylabel("emotion mix")
    bottom.set_xlabel("seconds")
    bottom.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(OUT, dpi=90)
    print(OUT)


if __name__ == "__main__":
    main()
