"""``realtalk process VIDEO --out DATASET`` and ``realtalk process mead ROOT --speaker ID --out DATASET``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..assets.store import FACE_LANDMARKER, require
from ..progress import Progress
from ..schema.errors import RealtalkError
from .common import add_progress_argument

USAGE = ("realtalk process VIDEO --out DATASET [options]\n"
         "       realtalk process mead ROOT --speaker M003 --out DATASET [options]")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "process", help="turn a talking video (or a MEAD speaker) into a subject dataset", usage=USAGE,
        description="Decode the video at a fixed frame rate, crop a steady square around the head, track 478 "
                    "landmarks, 52 ARKit blendshapes and head pose with MediaPipe, smooth them, make face and "
                    "person masks and a clean background plate, extract 16 kHz speech with its features, and "
                    "write a versioned dataset with a train/val split. An interrupted run resumes when the same "
                    "command is run again. With `mead ROOT --speaker ID`, every clip of that speaker in a MEAD "
                    "folder tree becomes one dataset, labelled with its emotion and level and paired with the "
                    "neutral clip of the same sentence.")
    parser.add_argument("inputs", nargs="+", metavar="VIDEO", help="a video file, or `mead ROOT`")
    parser.add_argument("--out", type=Path, required=True, help="dataset folder to create (or resume)")
    parser.add_argument("--speaker", help="MEAD speaker id, e.g. M003 (with `mead ROOT`)")
    parser.add_argument("--fps", type=float, default=25.0, help="dataset frame rate (default 25)")
    parser.add_argument("--size", type=int, default=512, help="crop size in pixels (default 512)")
    parser.add_argument("--audio", type=Path, help="use this audio file instead of the video's own sound")
    parser.add_argument("--overwrite", action="store_true", help="rebuild a finished or foreign unfinished dataset")
    parser.add_argument("--assets", type=Path, metavar="PATH", help="face_landmarker.task file or folder")
    add_progress_argument(parser)
    parser.set_defaults(func=run, command="process")


def run(args: argparse.Namespace, progress: Progress) -> int:
    from ..process import PassConfig, ProcessConfig

    if not 1 <= args.fps <= 120:
        raise RealtalkError(f"--fps must be between 1 and 120, got {args.fps:g}")
    if not 64 <= args.size <= 2048:
        raise RealtalkError(f"--size must be between 64 and 2048, got {args.size}")
    config = ProcessConfig(passes=PassConfig(fps=args.fps, size=args.size))
    task = require(FACE_LANDMARKER, args.assets)
    if args.inputs[0] == "mead" and len(args.inputs) == 2:
        from ..process.mead import process_mead

        if not args.speaker:
            raise RealtalkError("process mead: --speaker is required (e.g. --speaker M003)")
        manifest = process_mead(Path(args.inputs[1]), args.speaker, args.out, task, progress, config,
                                overwrite=args.overwrite)
    elif len(args.inputs) == 1:
        if args.speaker:
            raise RealtalkError("--speaker only applies to `realtalk process mead ROOT`")
        from ..process import process_video

        manifest = process_video(Path(args.inputs[0]), args.out, task, progress, config, audio=args.audio,
                                 overwrite=args.overwrite)
    else:
        raise RealtalkError(f"process takes one VIDEO, or `mead ROOT`; got {' '.join(args.inputs)}")
    if progress.mode != "json":
        print(manifest)
    progress.done({"dataset": str(manifest.parent), "manifest": str(manifest)})
    return 0
