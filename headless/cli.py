"""``realtalk-render``: render a Take to PNG frames, and optionally an mp4 with its audio.

With ``--subject`` a trained subject's tri-plane attention NeRF renders photoreal frames; without it,
the proxy mesh renderer draws a shaded face from the Take's landmarks and head pose.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from realtalk_core import __version__
from realtalk_core.cli.common import add_progress_argument, run_cli
from realtalk_core.progress import Progress

from .job import RenderJob, render_take
from .proxy import MAX_SIZE, MIN_SIZE

PROG = "realtalk-render"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Render a Take to PNG frames (OUT/frames/NNNNNN.png, numbered by the Take's frame numbers, "
                    "each written atomically) and optionally an H.264/AAC mp4 with the Take's audio. This is the "
                    "proxy mesh renderer (a shaded face built from the Take's landmarks and head pose) unless "
                    "--subject names a trained subject, whose tri-plane attention NeRF renders photoreal frames "
                    "composited over its plate.")
    parser.add_argument("take", metavar="TAKE", type=Path, help="the Take folder")
    parser.add_argument("--out", required=True, type=Path, metavar="OUT_DIR",
                        help="output folder; frames go to OUT_DIR/frames/")
    parser.add_argument("--size", type=int, default=512, metavar="N",
                        help=f"frame width and height in pixels, {MIN_SIZE}-{MAX_SIZE}; even with --video (default 512)")
    parser.add_argument("--frames", metavar="A-B",
                        help="render only frames A to B, or only frame N (inclusive, the Take's own numbers; default: all)")
    parser.add_argument("--video", type=Path, metavar="OUT.mp4",
                        help="also encode the rendered frames into this mp4 (H.264 + AAC), with the Take's audio at its "
                             "offset; written atomically")
    parser.add_argument("--crf", type=int, default=18, metavar="Q",
                        help="H.264 quality for --video, 0 (lossless) to 51 (worst); default 18")
    parser.add_argument("--background", metavar="plate|color:#RRGGBB",
                        help="background: the subject's plate (default with --subject) or a colour (the proxy's "
                             "default is color:#22252b)")
    parser.add_argument("--subject", metavar="NAME|DIR",
                        help="render photoreal frames with a trained subject: demo (the bundled one) or a folder "
                             "from `realtalk train subject`; without it, the proxy mesh renderer")
    parser.add_argument("--device", default="cpu", help="where a subject renders: cpu or cuda (default cpu)")
    parser.add_argument("--shard", metavar="I/N",
                        help="render only every N-th frame starting at the I-th (0 <= I < N): N processes on N "
                             "machines sharing OUT_DIR render the whole Take (Slurm arrays: --shard $SLURM_ARRAY_TASK_ID/N)")
    parser.add_argument("--resume", action=argparse.BooleanOptionalAction, default=True,
                        help="skip frames already finished in OUT_DIR whose PNG still matches its recorded sha256 "
                             "(default: --resume)")
    parser.add_argument("--force", action="store_true",
                        help="render into an OUT_DIR that holds frames of a different Take, subject or setting")
    parser.add_argument("--assets", type=Path, metavar="PATH", help="face_landmarker.task file or folder")
    add_progress_argument(parser)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.set_defaults(func=run, command="render")
    return parser


def run(args: argparse.Namespace, progress: Progress) -> int:
    job = RenderJob(take=args.take, out=args.out, size=args.size, frames=args.frames, video=args.video,
                    crf=args.crf, background=args.background, assets=args.assets, subject=args.subject,
                    device=args.device, shard=args.shard, resume=args.resume, force=args.force)
    outputs = render_take(job, progress)
    if progress.mode != "json":
        print(f"rendered {outputs['rendered']} of frames {outputs['first_frame']}-{outputs['last_frame']} to "
              f"{outputs['frames']}")
        if "video" in outputs:
            print(f"video: {outputs['video']}")
    progress.done(outputs)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli(PROG, build_parser(), argv, lambda args: "render")


if __name__ == "__main__":
    sys.exit(main())
