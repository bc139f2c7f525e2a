"""Write docs/cli.md: every RealTalk command's ``--help``, verbatim. ``tests/test_cli_reference.py`` fails when it is stale.

    .venv/bin/python docs/cli_reference.py          # rewrite docs/cli.md
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

WIDTH = 100
TARGET = Path(__file__).resolve().parent / "cli.md"


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _walk(name: str, parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(name, parser)]
    for sub, child in _subparsers(parser).items():
        found += _walk(f"{name} {sub}", child)
    return found


def parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    """(command line, parser) for every command and subcommand, in reading order."""
    from realtalk_core.cli.main import build_parser
    from realtalk_headless.cli import build_batch_parser, build_encode_parser
    from realtalk_headless.cli import build_parser as render_parser
    from realtalk_ui.app import build_parser as preview_parser

    return (_walk("realtalk", build_parser()) + [("realtalk-render", render_parser()),
            ("realtalk-render batch", build_batch_parser()), ("realtalk-render encode", build_encode_parser()),
            ("realtalk-preview", preview_parser())])


#: Set while the help is formatted: argparse wraps to the terminal width, and the assets help names the
#: user's cache folder (here the default one, whoever runs it).
FIXED_ENV = {"COLUMNS": str(WIDTH), "XDG_CACHE_HOME": "~/.cache"}


def render() -> str:
    saved = {name: os.environ.get(name) for name in FIXED_ENV}
    os.environ.update(FIXED_ENV)
    try:
        return _render()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _render() -> str:
    parts = ["# Command-line reference", "",
             "Generated from each command's `--help` by `docs/cli_reference.py`; a test fails when it is stale.", ""]
    for name, parser in parsers():
        parts += [f"## `{name}`", "", "```", parser.format_help().rstrip(), "```", ""]
    return "\n".join(parts)


def main() -> int:
    TARGET.write_text(render())
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
