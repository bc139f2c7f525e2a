"""``realtalk demo --out DIR``: run the built pipeline end to end on the embedded defaults."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..demo import DemoConfig, run_demo
from ..progress import Progress
from ..schema import load_take, summarize
from .common import add_progress_argument


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="run the pipeline end to end on built-in defaults",
        description="Synthesize a short English clip with espeak-ng, build a Take of the neutral canonical face "
                    "with speech-driven head motion, copy the audio in, validate it, and render a preview video. "
                    "Lip motion and emotion join as their models land.")
    parser.add_argument("--out", type=Path, default=Path("out/demo"), help="output folder (default out/demo)")
    parser.add_argument("--text", default=DemoConfig.text, help="what the synthetic voice says")
    parser.add_argument("--assets", type=Path, metavar="PATH", help="face_landmarker.task file or folder")
    add_progress_argument(parser)
    parser.set_defaults(func=run, command="demo")


def run(args: argparse.Namespace, progress: Progress) -> int:
    outputs = run_demo(args.out, progress, DemoConfig(text=args.text), assets=args.assets)
    if progress.mode != "json":
        print(summarize(load_take(outputs["take"]), outputs["take"]))
        print()
        for name, value in outputs.items():
            print(f"{name:8s}{value}")
    progress.done(outputs)
    return 0
