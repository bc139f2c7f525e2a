"""``realtalk``: the core command-line tool. Each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from .. import __version__
from . import cmd_assets, cmd_demo, cmd_generate, cmd_process, cmd_synth, cmd_train, cmd_validate
from .common import run_cli

#: Subcommand modules, each with ``register(subparsers)``. Only built commands are listed.
SUBCOMMANDS = (cmd_validate, cmd_assets, cmd_process, cmd_synth, cmd_train, cmd_generate, cmd_demo)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="realtalk",
        description="RealTalk Studio: emotion-aware talking heads. Takes, assets and models.",
        epilog="Run `realtalk COMMAND --help` for each command's options.")
    parser.add_argument("--version", action="version", version=f"realtalk {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli("realtalk", build_parser(), argv, lambda args: getattr(args, "command", ""))


if __name__ == "__main__":
    sys.exit(main())
