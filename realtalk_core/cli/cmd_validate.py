"""``realtalk validate TAKE``: check a Take and print a one-screen summary."""

from __future__ import annotations

import argparse

from ..progress import Progress
from ..schema import load_take, summarize


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="check a Take folder and summarise it",
        description="Check a Take folder (take.json + tracks.npz + optional audio): names, shapes, dtypes, "
                    "finite values, ranges, frame counts, rigid head poses and file hashes. Prints a summary, "
                    "or one line naming the file and field that is wrong (exit code 2).")
    parser.add_argument("take", metavar="TAKE", help="the Take folder")
    parser.add_argument("--skip-audio-hash", action="store_true",
                        help="do not re-hash the audio copy (faster for long audio)")
    parser.set_defaults(func=run, command="validate", progress="none")


def run(args: argparse.Namespace, progress: Progress) -> int:
    take = load_take(args.take, verify_audio=not args.skip_audio_hash)
    print(summarize(take, args.take))
    return 0
