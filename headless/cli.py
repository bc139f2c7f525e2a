"""``realtalk-render``: render a Take to PNG frames, and optionally an mp4 with its audio.

    realtalk-render TAKE --out OUT_DIR [options]       render one Take
    realtalk-render batch JOBS.toml [--shard I/N]      many Takes, with per-job overrides
    realtalk-render encode OUT_DIR --video OUT.mp4     frames + the Take's audio -> mp4 (after sharded renders)

Frames come from a trained subject's tri-plane attention NeRF (the Take's subject, else the bundled demo
subject), or from the proxy mesh renderer with ``--subject proxy``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

from realtalk_core import __version__
from realtalk_core.cli.common import add_progress_argument, run_cli
from realtalk_core.progress import Progress

from .backgrounds import KINDS_HELP
from .job import MAX_WORKERS, RenderJob, render_take
from .proxy import MAX_SIZE, MIN_SIZE

PROG = "realtalk-render"
SUBCOMMANDS = ("batch", "encode")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Render a Take to PNG frames (OUT/frames/NNNNNN.png, numbered by the Take's frame numbers, "
                    "each written atomically) and optionally an H.264/AAC mp4 with the Take's audio. Frames come "
                    "from a trained subject's tri-plane attention NeRF, composited over its plate: the subject "
                    "the Take names, else the bundled demo subject. OUT/render.json records the Take and subject "
                    "sha256, the resolved settings and every finished frame; a stopped render resumes.",
        epilog=f"Also: `{PROG} batch JOBS.toml [--shard I/N]` renders many Takes with per-job overrides, and "
               f"`{PROG} encode OUT_DIR --video OUT.mp4` encodes a finished (e.g. sharded) render. "
               f"See `{PROG} batch --help` and `{PROG} encode --help`.")
    parser.add_argument("take", metavar="TAKE", type=Path, help="the Take folder")
    parser.add_argument("--out", required=True, type=Path, metavar="OUT_DIR",
                        help="output folder; frames go to OUT_DIR/frames/")
    parser.add_argument("--subject", metavar="NAME|DIR|proxy",
                        help="demo (the bundled subject), a folder from `realtalk train subject`, or proxy (a shaded "
                             "mesh from the landmarks, no model); default: the Take's subject, else demo")
    parser.add_argument("--size", type=int, default=512, metavar="N",
                        help=f"rendered crop width and height in pixels, {MIN_SIZE}-{MAX_SIZE} (a subject needs a "
                             "multiple of 4); default 512")
    parser.add_argument("--frames", metavar="A-B",
                        help="render only frames A to B, or only frame N (inclusive, the Take's own numbers; default: all)")
    parser.add_argument("--device", default="cpu", help="where a subject renders: cpu or cuda (default cpu)")
    parser.add_argument("--background", metavar="plate|color:#RRGGBB|transparent|PATH",
                        help=f"what the person is composited over: {KINDS_HELP} (transparent writes RGBA PNGs); "
                             "default: the subject's plate (the proxy's: color:#22252b)")
    parser.add_argument("--paste-back", action="store_true",
                        help="composite the render into the subject's original full video frame, using the crop "
                             "boxes of its training footage (frames get the source video's size)")
    add_common_options(parser)
    parser.add_argument("--video", type=Path, metavar="OUT.mp4",
                        help="also encode the rendered frames into this mp4 (H.264 + AAC), with the Take's audio at its "
                             "offset; written atomically")
    parser.add_argument("--crf", type=int, default=18, metavar="Q",
                        help="H.264 quality for --video, 0 (lossless) to 51 (worst); default 18")
    parser.add_argument("--assets", type=Path, metavar="PATH", help="face_landmarker.task file or folder (proxy only)")
    add_progress_argument(parser)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.set_defaults(func=run, command="render")
    return parser


def add_common_options(parser: argparse.ArgumentParser, batch: bool = False) -> None:
    """Options a single render and a batch share (a batch applies them to every job)."""
    parser.add_argument("--shard", metavar="I/N",
                        help="render only every N-th frame starting at the I-th (0 <= I < N): N processes on N "
                             "machines sharing OUT_DIR render the whole Take (Slurm arrays: --shard "
                             "$SLURM_ARRAY_TASK_ID/N)")
    parser.add_argument("--workers", type=int, default=None if batch else 1, metavar="K",
                        help=f"render with K local processes (1-{MAX_WORKERS}), each a disjoint part of the "
                             "frames, sharing the CPU threads; default 1")
    parser.add_argument("--resume", action=argparse.BooleanOptionalAction, default=None if batch else True,
                        help="skip frames already finished in OUT_DIR whose PNG still matches its recorded sha256 "
                             "(default: --resume)")
    parser.add_argument("--force", action="store_true", default=None if batch else False,
                        help="render into an OUT_DIR that holds frames of a different Take, subject or setting, "
                             "or with a subject other than the one the Take is bound to")
    parser.add_argument("--dry-run", action="store_true", default=None if batch else False,
                        help="print the plan (frames, shard, what is already done) and an estimated time; render "
                             "and write nothing")


def run(args: argparse.Namespace, progress: Progress) -> int:
    job = RenderJob(take=args.take, out=args.out, size=args.size, frames=args.frames, video=args.video,
                    crf=args.crf, background=args.background, assets=args.assets, subject=args.subject,
                    device=args.device, shard=args.shard, resume=args.resume, force=args.force,
                    paste_back=args.paste_back, workers=args.workers, dry_run=args.dry_run)
    outputs = render_take(job, progress)
    if progress.mode != "json":
        if job.dry_run:
            print_plan(outputs)
        else:
            print(f"rendered {outputs['rendered']} of frames {outputs['first_frame']}-{outputs['last_frame']} to "
                  f"{outputs['frames']}")
            if "video" in outputs:
                print(f"video: {outputs['video']}")
    progress.done({k: str(v) for k, v in outputs.items()})
    return 0


def print_plan(plan: dict[str, Any]) -> None:
    for key, value in plan.items():
        print(f"{key.replace('_', ' ')}: {value}")


def build_batch_parser() -> argparse.ArgumentParser:
    from .batch import __doc__ as batch_doc

    parser = argparse.ArgumentParser(prog=f"{PROG} batch", description="Render many Takes, each with its own "
                                     "options, from one TOML file.", epilog=batch_doc.split("::", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("jobs", metavar="JOBS.toml", type=Path, help="the batch file")
    add_common_options(parser, batch=True)
    add_progress_argument(parser)
    parser.set_defaults(func=run_batch_command, command="render batch")
    return parser


def run_batch_command(args: argparse.Namespace, progress: Progress) -> int:
    from .batch import run_batch

    outputs = run_batch(args.jobs, progress, shard=args.shard, workers=args.workers, resume=args.resume,
                        force=args.force, dry_run=args.dry_run)
    if progress.mode != "json" and not args.dry_run:
        print(f"rendered {outputs['jobs']} jobs from {args.jobs}")
    progress.done(outputs)
    return 0


def build_encode_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"{PROG} encode", description="Encode a finished render's frames and its "
                                     "Take's audio into an H.264/AAC mp4, e.g. after sharded renders. Every frame "
                                     "must be rendered and unchanged.")
    parser.add_argument("out", metavar="OUT_DIR", type=Path, help="the folder a render wrote (holding render.json)")
    parser.add_argument("--video", type=Path, required=True, metavar="OUT.mp4", help="the mp4 to write (atomically)")
    parser.add_argument("--crf", type=int, default=18, metavar="Q", help="H.264 quality, 0 (lossless) to 51; default 18")
    add_progress_argument(parser)
    parser.set_defaults(func=run_encode_command, command="render encode")
    return parser


def run_encode_command(args: argparse.Namespace, progress: Progress) -> int:
    from .encode import encode_folder

    outputs = encode_folder(args.out, args.video, args.crf, progress)
    if progress.mode != "json":
        print(f"video: {outputs['video']} ({outputs['encoded']} frames)")
    progress.done(outputs)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    builders = {"batch": build_batch_parser, "encode": build_encode_parser}
    if argv and argv[0] in SUBCOMMANDS:
        return run_cli(f"{PROG} {argv[0]}", builders[argv[0]](), argv[1:], lambda args: args.command)
    return run_cli(PROG, build_parser(), argv, lambda args: "render")


if __name__ == "__main__":
    sys.exit(main())
