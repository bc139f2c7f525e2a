"""Plot the training logs of the shipped motion and emotion weights into docs/models_training.png.

    python benchmarks/figure_training.py MOTION.log.jsonl EMOTION.log.jsonl
Copies both logs to docs/ as well (docs/models_motion.log.jsonl, docs/models_emotion.log.jsonl).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "docs"


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main() -> None:
    motion, emotion = Path(sys.argv[1]), Path(sys.argv[2])
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    for ax, path, keys, title in ((axes[0], motion, ("recon", "velocity", "closure", "kl"), "motion VAE"),
                                  (axes[1], emotion, ("l1", "velocity"), "emotion LDM")):
        log = read(path)
        steps = [e["step"] for e in log]
        for key in keys:
            line, = ax.plot(steps, [e[key] for e in log], label=f"train {key}", lw=1)
            ax.plot(steps, [e[f"val_{key}"] for e in log], color=line.get_color(), ls="--", lw=1,
                    label=f"validation {key}")
        ax.set_yscale("log")
        ax.set_xlabel("iteration")
        ax.set_title(f"{title} ({log[-1]['seconds'] / 60:.0f} min on 2 CPU cores)", fontsize=10)
        ax.legend(fontsize=7, ncol=2)
        shutil.copyfile(path, DOCS / f"models_{title.split()[0]}.log.jsonl")
    fig.tight_layout()
    fig.savefig(DOCS / "models_training.png", dpi=90)
    print(DOCS / "models_training.png")


if __name__ == "__main__":
    main()
