"""``realtalk demo --out DIR``: the whole pipeline end to end on the shipped models and the demo subject."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..progress import Progress
from ..schema.errors import RealtalkError
from .common import add_progress_argument

DESCRIPTION = ("Speak a short English text with espeak-ng, lay an emotion curve over it (neutral, happy, surprise, "
               "sad), generate the Take with the shipped motion and emotion models, render it with the demo "
               "subject to an mp4 with the audio, and draw a contact sheet of the emotion peaks and a plot of "
               "the curves. Uses the GPU when there is one. Run it again to reuse finished frames.")


def register(subparsers: argparse._SubParsersAction) -> None:
    from ..demo import DemoConfig

    parser = subparsers.add_parser("demo", help="the whole pipeline end to end on built-in defaults",
                                   description=DESCRIPTION)
    parser.add_argument("--out", type=Path, default=Path("out/demo"), help="output folder (default out/demo)")
    parser.add_argument("--text", default=DemoConfig.text, help="what the synthetic voice says")
    parser.add_argument("--size", type=int, default=DemoConfig.size, help="rendered frame size (default 256)")
    parser.add_argument("--device", default=DemoConfig.device, choices=("auto", "cpu", "cuda"),
                        help="where the models run (default auto: the GPU when CUDA is available)")
    parser.add_argument("--subject", default=DemoConfig.subject,
                        help="renderer subject: demo (default), a `realtalk train subject` folder, or proxy")
    parser.add_argument("--assets", type=Path, metavar="PATH", help="face_landmarker.task file or folder")
    add_progress_argument(parser)
    parser.set_defaults(func=run, command="demo")


def run(args: argparse.Namespace, progress: Progress) -> int:
    from ..demo import DemoConfig, run_demo

    from realtalk_headless.proxy import MAX_SIZE, MIN_SIZE

    # checked before any work: the renderer would refuse it only after speech and generation
    if not MIN_SIZE <= args.size <= MAX_SIZE or args.size % 2:
        raise RealtalkError(f"--size {args.size}: use an even number of pixels from {MIN_SIZE} to {MAX_SIZE} "
                            "(e.g. 256)")
    config = DemoConfig(text=args.text, size=args.size, device=args.device, subject=args.subject)
    outputs = run_demo(args.out, progress, config, assets=args.assets)
    timings = outputs.pop("timings")
    if progress.mode != "json":
        print("RealTalk demo finished.\n")
        for name in ("video", "contact_sheet", "curves", "take", "frames", "emotion_curves", "speech", "report"):
            print(f"  {name:15s}{outputs[name]}")
        print(f"\nwall time per stage (device: {outputs['device']}):\n{timings}")
        print("\nOpen the Take in the previewer: realtalk-preview " + outputs["take"])
    progress.done(outputs)
    return 0
