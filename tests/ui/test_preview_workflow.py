"""The previewer end to end through the real CLIs: audio -> Take, edit curves -> Apply, preview render, close guard."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PyQt6.QtCore import QMimeData, QPointF, Qt, QUrl
from PyQt6.QtGui import QCloseEvent, QDropEvent

from realtalk_core.schema import EMOTION_NAMES, load_take
from realtalk_ui.main_window import MainWindow
from realtalk_ui.workflow import new_take_folder

JOB_TIMEOUT = 180_000


@pytest.fixture
def window(qtbot, settings, tmp_path):
    win = MainWindow(settings, cache_dir=tmp_path / "cache")
    win.job_panel.on_error = lambda _parent, _title, message: pytest.fail(f"job failed: {message}")
    qtbot.addWidget(win)
    return win


def drop(window: MainWindow, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def test_new_take_folders_never_overwrite(tmp_path):
    audio = tmp_path / "hello.wav"
    audio.write_bytes(b"")
    assert new_take_folder(audio, tmp_path / "cache") == tmp_path / "hello_take"
    (tmp_path / "hello_take").mkdir()
    assert new_take_folder(audio, tmp_path / "cache") == tmp_path / "hello_take_2"


def test_dropped_audio_becomes_a_take_and_curve_edits_apply(window, qtbot, make_wav, tmp_path):
    audio = make_wav(tmp_path / "speech.wav", seconds=1.2)
    with qtbot.waitSignal(window.model.takeChanged, timeout=JOB_TIMEOUT):
        drop(window, audio)
    assert window.model.path == (tmp_path / "speech_take").resolve()
    before = load_take(window.model.path).tracks.emotion.copy()
    happy = EMOTION_NAMES.index("happy")
    window.curves.add_key("happy", 0.6, 1.0)
    assert window.curves.dirty and "emotion edited" in window.windowTitle()
    with qtbot.waitSignal(window.model.takeChanged, timeout=JOB_TIMEOUT):
        window.apply_action.trigger()
    after = load_take(window.model.path).tracks.emotion
    assert after[15, happy] > before[15, happy] + 0.3              # the re-bake baked the new key
    assert not window.curves.dirty and "emotion edited" not in window.windowTitle()


def test_preview_frame_renders_and_shows_beside_the_landmarks(window, qtbot, moving_take):
    assert window.open_take(moving_take)
    window.model.set_frame(23)
    assert not window.render_view.has_frame
    with qtbot.waitSignal(window.job_panel.jobSucceeded, timeout=JOB_TIMEOUT):
        window.render_frame_action.trigger()
    assert window.render_view.has_frame and window.render_view.frame_path().name == "000023.png"
    assert window.render_view.frame_path().is_relative_to(window.workflow.cache_dir)   # never inside the Take
    window.model.set_frame(24)
    assert not window.render_view.has_frame                        # only the frame that was rendered


def test_closing_with_unapplied_edits_asks(window, moving_take):
    assert window.open_take(moving_take)
    window.curves.add_key("sad", 0.2, 0.5)
    answers = []
    window.ask_unsaved = lambda _parent, closing: answers.append(closing) or "cancel"
    event = QCloseEvent()
    window.closeEvent(event)
    assert answers == [True] and not event.isAccepted()
    assert not window.open_take(moving_take) and answers == [True, False]   # opening another Take asks too
    window.ask_unsaved = lambda _parent, _closing: "discard"
    event = QCloseEvent()
    window.closeEvent(event)
    assert event.isAccepted()


def test_space_plays_and_pauses(window, moving_take):
    assert window.open_take(moving_take)
    assert window.play_action.shortcut().toString() == "Space"
    window.play_action.trigger()
    assert window.playback.is_playing
    window.play_action.trigger()
    assert not window.playback.is_playing
    assert np.isfinite(window.model.frame)


def test_save_take_as_copies_and_opens_the_copy(window, moving_take, tmp_path):
    assert window.open_take(moving_take)
    copy = tmp_path / "saved" / "copy_take"
    copy.parent.mkdir()
    assert window.save_take_as(copy)
    assert window.model.path == copy.resolve() and (copy / "tracks.npz").read_bytes() == (moving_take / "tracks.npz").read_bytes()
    assert not list(copy.parent.glob(".*partial"))
