"""The `realtalk` CLI: real --help for every built command, no unbuilt ones, one-line errors."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from realtalk_core.cli.common import DEBUG_ENV, run_cli
from realtalk_core.cli.main import build_parser
from realtalk_core.progress import parse_event
from realtalk_core.schema import TAKE_JSON

BIN = Path(sys.executable).parent


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "realtalk"), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def _subcommands(parser) -> dict[str, object]:
    actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return dict(actions[0].choices) if actions else {}


def test_only_built_commands_exist():
    assert sorted(_subcommands(build_parser())) == ["assets", "demo", "generate", "process", "synth", "train",
                                                          "validate"]
    assert sorted(_subcommands(_subcommands(build_parser())["assets"])) == ["fetch", "status"]


@pytest.mark.parametrize("command", [[], ["validate"], ["assets"], ["assets", "fetch"], ["assets", "status"],
                                     ["demo"], ["process"], ["synth"], ["train"], ["generate"]])
def test_every_command_has_a_real_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("usage: realtalk")
    description = result.stdout.split("\n\n")[1]
    assert len(description.split()) >= 8, description  # a sentence, not a stub


def test_version():
    assert run("--version").stdout.strip().startswith("realtalk 0.")


def test_validate_accepts_a_good_take(make_take):
    folder = make_take(frames=9, frame_start=100)
    result = run("validate", str(folder))
    assert result.returncode == 0, result.stderr
    assert "(valid)" in result.stdout and "frames    100-108  (9 frames at 25 fps" in result.stdout
    assert len(result.stdout.splitlines()) <= 24


def test_validate_rejects_a_bad_take_with_one_line(make_take):
    folder = make_take()
    header = json.loads((folder / TAKE_JSON).read_text())
    header["emotion_names"][0] = "calm"
    (folder / TAKE_JSON).write_text(json.dumps(header))
    result = run("validate", str(folder))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"realtalk: error: {folder / TAKE_JSON}: emotion_names: missing ['neutral']")


def test_a_file_instead_of_a_take_folder_is_one_line(tmp_path):
    target = tmp_path / "afile"
    target.write_text("x")
    result = run("validate", str(target))
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert "is not a take folder" in result.stderr


def _parser_raising(error: BaseException) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="t")

    def explode(args, progress):
        raise error

    parser.set_defaults(func=explode, progress="json")
    return parser


def test_unexpected_exceptions_are_one_line_with_a_debug_switch(capsys, monkeypatch):
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    assert run_cli("t", _parser_raising(ZeroDivisionError("oops\nsecond line")), [], lambda a: "x") == 1
    out, err = capsys.readouterr()
    assert err == f"t: error: internal error: ZeroDivisionError: oops (set {DEBUG_ENV}=1 for the traceback, " \
                  "and please report it)\n"
    assert parse_event(out.splitlines()[-1]).event == "error"
    monkeypatch.setenv(DEBUG_ENV, "1")
    run_cli("t", _parser_raising(ZeroDivisionError("oops")), [], lambda a: "x")
    assert "Traceback" in capsys.readouterr().err
    assert run_cli("t", _parser_raising(KeyboardInterrupt()), [], lambda a: "x") == 130
