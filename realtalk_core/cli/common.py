"""What every RealTalk command-line tool shares: the progress flag and error handling.

User errors (:class:`RealtalkError`) print one line and exit 2. An unexpected exception
prints one line too, pointing at ``REALTALK_DEBUG=1`` for the traceback; Ctrl-C exits 130.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Callable, Sequence

from ..progress import MODES, Progress
from ..schema.errors import RealtalkError

DEBUG_ENV = "REALTALK_DEBUG"


def add_progress_argument(parser: argparse.ArgumentParser, default: str = "bar") -> None:
    parser.add_argument("--progress", choices=MODES, default=default,
                        help="bar: a progress bar on stderr (default); json: JSON lines on stdout "
                             "for the Blender add-on and the previewer; none: quiet")


def run_cli(prog: str, parser: argparse.ArgumentParser, argv: Sequence[str] | None,
            command_name: Callable[[argparse.Namespace], str]) -> int:
    """Parse ``argv`` and run ``args.func(args, progress)``; turn every failure into one line."""
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return 2
    progress = Progress(getattr(args, "progress", "none"), command_name(args))
    try:
        progress.start()
        return int(args.func(args, progress) or 0)
    except RealtalkError as err:
        return _fail(prog, progress, str(err), err.exit_code)
    except KeyboardInterrupt:
        return _fail(prog, progress, "interrupted", 130)
    except BrokenPipeError:
        return 1
    except Exception as err:  # noqa: BLE001 - the last line of defence before a traceback dump
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        message = f"internal error: {type(err).__name__}: {err}".splitlines()[0]
        return _fail(prog, progress, f"{message} (set {DEBUG_ENV}=1 for the traceback, and please report it)", 1)


def _fail(prog: str, progress: Progress, message: str, code: int) -> int:
    progress.error(message)
    print(f"{prog}: error: {message}", file=sys.stderr)
    return code
