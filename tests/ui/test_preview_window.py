"""The previewer window: keys, the scrubber, painting, errors, screenshot and the CLI."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from PyQt6.QtCore import Qt

from realtalk_ui import main_window as main_window_module
from realtalk_ui.main_window import MainWindow


_OPEN: list[MainWindow] = []


@pytest.fixture(autouse=True)
def close_windows(qapp):
    """Hold each window until the test is over, then close it and let Qt delete it cleanly."""
    yield
    while _OPEN:
        window = _OPEN.pop()
        window.close()
        window.deleteLater()
    qapp.processEvents()


def open_window(qtbot, settings, take=None) -> MainWindow:
    window = MainWindow(settings)
    _OPEN.append(window)
    if take is not None:
        assert window.open_take(take)
    with qtbot.waitActive(window):  # shortcuts only fire in the active window
        window.show()
        window.activateWindow()
    return window


def test_keys_step_and_jump(qtbot, settings, moving_take):
    window = open_window(qtbot, settings, moving_take)
    model = window.model
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert model.frame == 22
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert model.frame == 21
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert model.frame == 29 and window.timeline.frame_label.text() == "Frame 29 / 29"
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert model.frame == 20 and window.timeline.slider.value() == 20


def test_scrubber_drives_the_model_and_labels(qtbot, settings, moving_take):
    window = open_window(qtbot, settings, moving_take)
    window.timeline.slider.setValue(27)
    assert window.model.frame == 27
    assert "27" in window.timeline.frame_label.text()
    assert window.timeline.time_label.text().startswith("0:00.28")
    slider = window.timeline.slider
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=slider.rect().center())
    assert window.model.frame != 27 or slider.value() == 27  # a click pages towards the cursor


def grab_array(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(widget.grab().toImage().Format.Format_RGB32)
    data = np.frombuffer(image.constBits().asstring(image.sizeInBytes()), np.uint8)
    return data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, :image.width(), :3]


def test_landmark_view_paints_the_current_frame(qtbot, settings, moving_take):
    window = open_window(qtbot, settings, moving_take)
    first = grab_array(window.front_view)
    window.model.set_frame(29)
    last = grab_array(window.front_view)
    assert first.shape == last.shape and first.std() > 5          # something is drawn
    assert (np.abs(first.astype(int) - last.astype(int)).sum(axis=2) > 0).sum() > 20  # the lip moved
    bars_first = grab_array(window.blendshape_view)
    window.model.set_frame(20)
    assert not np.array_equal(bars_first, grab_array(window.blendshape_view))  # jawOpen bar changed


def test_bad_take_shows_the_one_line_error(qtbot, settings, moving_take, tmp_path, monkeypatch):
    window = open_window(qtbot, settings, moving_take)
    shown = []
    monkeypatch.setattr(main_window_module.QMessageBox, "critical",
                        lambda parent, title, text: shown.append(text))
    (tmp_path / "broken").mkdir()
    assert window.open_take(tmp_path / "broken") is False
    assert len(shown) == 1 and "take.json: missing" in shown[0] and "\n" not in shown[0]
    assert window.model.path == moving_take.resolve()  # the previous Take stays open


def test_recent_takes_are_remembered(qtbot, settings, moving_take):
    window = open_window(qtbot, settings, moving_take)
    assert window.recent.paths()[0] == moving_take.resolve()


def test_screenshot_with_a_take_loaded(qtbot, settings, moving_take, tmp_path):
    window = open_window(qtbot, settings, moving_take)
    window.resize(1100, 700)
    target = tmp_path / "preview.png"
    assert window.grab().save(str(target))
    assert target.stat().st_size > 20_000  # a real picture, not an empty frame


def test_cli_rejects_a_bad_take_with_exit_2(tmp_path):
    result = subprocess.run([sys.executable, "-m", "realtalk_ui.app", str(tmp_path / "nope")],
                            capture_output=True, text=True, timeout=120,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("realtalk-preview: error:") and "is not a take folder" in result.stderr


def test_cli_screenshot(moving_take, tmp_path):
    target = tmp_path / "shot.png"
    result = subprocess.run([sys.executable, "-m", "realtalk_ui.app", str(moving_take), "--screenshot", str(target),
                             "--settings", str(tmp_path / "s.ini"), "--frame", "25"],
                            capture_output=True, text=True, timeout=120,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert target.stat().st_size > 20_000
