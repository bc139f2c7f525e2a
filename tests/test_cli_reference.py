"""docs/cli.md is every command's --help as it is now, and the README's command table names every command."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _reference():
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "docs" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_md_matches_the_help_of_every_command():
    reference = _reference()
    expected = reference.render()
    assert (ROOT / "docs" / "cli.md").read_text() == expected, \
        "docs/cli.md is stale: run .venv/bin/python docs/cli_reference.py"


def test_every_command_and_option_is_in_the_reference():
    reference = _reference()
    text = (ROOT / "docs" / "cli.md").read_text()
    for name, parser in reference.parsers():
        assert f"## `{name}`" in text
        for action in parser._actions:
            for option in action.option_strings:
                assert option in text, (name, option)


def test_readme_command_table_covers_every_leaf_command():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `(realtalk[\w-]*(?: [a-z]+)*)", readme, flags=re.M))
    for name, _ in _reference().parsers():
        if name in ("realtalk", "realtalk assets"):
            continue
        assert any(d == name or d.startswith(name + " ") for d in documented), (name, documented)
