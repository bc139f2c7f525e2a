"""The previewer window: keys, the scrubber, painting, menus, errors and a screenshot."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, Qt
from PyQt6.QtGui import QImage

from realtalk_core.schema import TakeError, load_take
from realtalk_ui import main_window as main_window_module
from realtalk_ui.main_window import APP_TITLE, KEY_APPLY_POSE, KEY_GEOMETRY, OPEN_ERROR_TITLE, MainWindow
from realtalk_ui.recent import RecentTakes, ini_settings

FIRST, LAST = 20, 29   # moving_take's frame range (conftest.py)


def show(qtbot, window: MainWindow) -> MainWindow:
    qtbot.addWidget(window)
    window.resize(1100, 700)
    with qtbot.waitActive(window):   # window shortcuts fire only in the active window
        window.show()
        window.activateWindow()
    return window


@pytest.fixture
def window(qtbot, settings, moving_take) -> MainWindow:
    win = MainWindow(settings)
    assert win.open_take(moving_take)
    return show(qtbot, win)


def pixels(widget) -> np.ndarray:
    """(H, W, 3) uint8 of what the widget paints."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits().asstring(image.sizeInBytes()), np.uint8)
    return data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, :image.width(), :3].copy()


def labels(window: MainWindow) -> tuple[str, str]:
    return window.timeline.frame_label.text(), window.timeline.time_label.text()


def test_title_and_status_name_the_take(window, moving_take):
    assert window.windowTitle() == f"moving — {APP_TITLE}"
    assert labels(window) == ("Frame 20 / 29", "0:00.00 / 0:00.40")
    assert window.path_label.text() == str(moving_take.resolve())
    assert window.info_label.text().startswith("25 fps · 10 frames · 0.40 s")


def test_keys_step_and_jump(qtbot, window):
    model = window.model
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert model.frame == 22 and labels(window) == ("Frame 22 / 29", "0:00.08 / 0:00.40")
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert model.frame == 21 and window.timeline.slider.value() == 21
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert model.frame == LAST and labels(window) == ("Frame 29 / 29", "0:00.36 / 0:00.40")
    qtbot.keyClick(window, Qt.Key.Key_Right)                       # already last: stays
    assert model.frame == LAST
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert model.frame == FIRST and window.timeline.slider.value() == FIRST and labels(window)[0] == "Frame 20 / 29"
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)   # one second, clamped
    assert model.frame == LAST


def test_keys_step_one_frame_while_the_slider_has_focus(qtbot, window):
    slider = window.timeline.slider
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert window.model.frame == FIRST + 1                          # once, not by the slider and the shortcut
    qtbot.keyClick(slider, Qt.Key.Key_End)
    assert window.model.frame == LAST


def test_slider_drives_the_model_and_the_labels(qtbot, window):
    slider = window.timeline.slider
    assert (slider.minimum(), slider.maximum(), slider.isEnabled()) == (FIRST, LAST, True)
    slider.setValue(27)
    assert window.model.frame == 27 and labels(window) == ("Frame 27 / 29", "0:00.28 / 0:00.40")
    window.model.set_frame(21)
    assert slider.value() == 21
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(slider.width() - 3, slider.height() // 2))
    assert window.model.frame > 21 and slider.value() == window.model.frame
    assert labels(window)[0] == f"Frame {window.model.frame} / 29"


def test_landmark_views_paint_the_current_frame(window):
    front, side = pixels(window.front_view), pixels(window.side_view)
    assert front.std() > 5 and side.std() > 5                      # something is drawn
    window.model.set_frame(LAST)                                   # the lower lip has dropped 12 mm
    for before, view in ((front, window.front_view), (side, window.side_view)):
        after = pixels(view)
        assert before.shape == after.shape
        assert (np.abs(before.astype(int) - after.astype(int)).sum(axis=2) > 30).sum() > 50


def test_bar_views_paint_the_current_frame(window):
    bars, emotion = pixels(window.blendshape_view), pixels(window.emotion_view)
    window.model.set_frame(LAST)                                   # jawOpen 0 -> 1, neutral -> happy
    assert not np.array_equal(bars, pixels(window.blendshape_view))
    assert not np.array_equal(emotion, pixels(window.emotion_view))


def test_views_scale_with_the_window(qtbot, window):
    small = window.front_view.size()
    window.resize(1500, 1000)
    qtbot.waitUntil(lambda: window.front_view.height() > small.height() + 100)
    assert window.front_view.width() > small.width()


def test_head_pose_toggle_is_remembered(qtbot, window, settings):
    assert window.pose_action.isChecked() and window.front_view.apply_pose
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert not window.pose_action.isChecked() and not window.front_view.apply_pose and not window.side_view.apply_pose
    assert settings.value(KEY_APPLY_POSE, type=bool) is False
    again = show(qtbot, MainWindow(settings))
    assert not again.front_view.apply_pose


@pytest.mark.parametrize("which", ["no_header", "corrupt"])
def test_bad_take_shows_the_one_line_error_and_keeps_the_take(window, moving_take, bad_takes, which, monkeypatch):
    shown = []
    monkeypatch.setattr(main_window_module.QMessageBox, "critical",
                        lambda parent, title, text: shown.append((parent, title, text)))
    window.model.set_frame(24)
    with pytest.raises(TakeError) as expected:
        load_take(bad_takes[which])
    assert window.open_take(bad_takes[which]) is False
    assert shown == [(window, OPEN_ERROR_TITLE, str(expected.value))] and "\n" not in shown[0][2]
    assert window.model.path == moving_take.resolve() and window.model.frame == 24
    assert window.windowTitle() == f"moving — {APP_TITLE}" and labels(window)[0] == "Frame 24 / 29"
    assert window.recent.paths() == [moving_take.resolve()]


def test_open_take_dialog_and_recent_menu(qtbot, settings, moving_take, make_take, monkeypatch):
    other = make_take(name="other", frames=4)
    window = show(qtbot, MainWindow(settings))
    assert window.windowTitle() == APP_TITLE and not window.timeline.slider.isEnabled()
    answers = iter([str(other), ""])
    monkeypatch.setattr(main_window_module.QFileDialog, "getExistingDirectory", lambda *args: next(answers))
    window.open_action.trigger()
    assert window.model.path == other.resolve() and window.windowTitle() == f"other — {APP_TITLE}"
    window.open_action.trigger()                                   # cancelled: nothing changes
    assert window.model.path == other.resolve()

    assert window.open_take(moving_take)
    entries = [a for a in window.recent_menu.actions() if a.data()]
    assert [a.data() for a in entries] == [str(moving_take.resolve()), str(other.resolve())]
    entries[1].trigger()                                           # reopen the older one from the menu
    assert window.model.path == other.resolve()
    assert RecentTakes(settings).paths()[:2] == [other.resolve(), moving_take.resolve()]


def test_closing_saves_the_window_geometry(qtbot, tmp_path, moving_take):
    ini = tmp_path / "closing.ini"
    window = show(qtbot, MainWindow(ini_settings(ini)))
    window.close()
    assert ini_settings(ini).value(KEY_GEOMETRY) is not None


def test_screenshot_with_a_take_loaded(window, tmp_path):
    window.model.set_frame(25)
    target = tmp_path / "preview.png"
    assert window.grab().save(str(target))
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1100, 700)
    rgb = pixels(window).astype(np.uint32)
    colours = np.unique((rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2])
    assert colours.size > 50                                    # a real picture, not a blank frame
