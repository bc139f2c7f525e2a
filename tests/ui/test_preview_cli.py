"""``realtalk-preview`` on the command line: help, bad takes (exit 2, one line), screenshots."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PyQt6.QtGui import QImage

from realtalk_core.schema import TakeError, load_take
from realtalk_ui.app import main
from realtalk_ui.recent import RecentTakes, ini_settings


def run_preview(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "realtalk_ui.app", *args],
                          capture_output=True, text=True, timeout=120, env=env, check=False)


def test_help_describes_the_take_argument(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert out.startswith("usage: realtalk-preview") and "TAKE" in out and "--screenshot" in out


def test_nonexistent_take_exits_2_with_one_line_and_no_traceback():
    result = run_preview("/nonexistent")
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert result.stderr.startswith("realtalk-preview: error: /nonexistent: is not a take folder")


def test_corrupt_take_exits_2_with_the_take_error(bad_takes, capsys):
    with pytest.raises(TakeError) as expected:
        load_take(bad_takes["corrupt"].resolve())
    assert main([str(bad_takes["corrupt"])]) == 2
    assert capsys.readouterr().err == f"realtalk-preview: error: {expected.value}\n"


def test_bad_size_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--size", "huge"])
    assert done.value.code == 2 and "expected WIDTHxHEIGHT" in capsys.readouterr().err


def test_screenshot_renders_the_take_at_a_frame_and_remembers_it(moving_take, tmp_path):
    target, ini = tmp_path / "shot.png", tmp_path / "cli.ini"
    result = run_preview(str(moving_take), "--screenshot", str(target), "--size", "800x500",
                         "--frame", "25", "--settings", str(ini))
    assert result.returncode == 0, result.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (800, 500) and target.stat().st_size > 20_000
    assert RecentTakes(ini_settings(ini)).paths() == [moving_take.resolve()]
