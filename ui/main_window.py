"""The previewer's main window: menus, the views around one TakeModel, and take opening.

Thin by design: state lives in :class:`TakeModel` and :class:`EmotionCurvesModel`, drawing in the views, CLI
work in :class:`Workflow`, and where settings are stored is decided by whoever passes the ``QSettings``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from PyQt6.QtCore import QByteArray, QSettings, QStandardPaths, Qt
from PyQt6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PyQt6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMenu, QMessageBox, QSplitter,
                             QVBoxLayout, QWidget)

from realtalk_core import __version__
from realtalk_core.schema import RealtalkError, TakeError

from .channel_views import BlendshapeBars, EmotionBars
from .curve_editor import CurveEditor
from .job_panel import JobPanel
from .landmark_view import LandmarkView
from .model import TakeModel
from .playback import Playback
from .projection import FRONT, SIDE
from .recent import RecentTakes
from .render_view import RenderView
from .timeline import Timeline
from .unsaved import ask_unsaved
from .workflow import AUDIO_SUFFIXES, Workflow, copy_take, is_audio, is_take

APP_TITLE = "RealTalk Preview"
KEY_GEOMETRY = "window/geometry"
KEY_SPLITTER = "window/splitter"
KEY_LEFT_SPLITTER = "window/leftSplitter"
KEY_APPLY_POSE = "view/applyHeadPose"
OPEN_ERROR_TITLE = "Cannot open take"
DEFAULT_SIZE = (1100, 700)


class MainWindow(QMainWindow):
    """Front and side landmark views, blendshape and emotion bars, and a timeline."""

    def __init__(self, settings: QSettings, model: TakeModel | None = None, parent: QWidget | None = None,
                 cache_dir: Path | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.model = model or TakeModel(self)
        self.recent = RecentTakes(settings)
        #: Asks what to do with unapplied emotion edits: returns "apply", "discard" or "cancel" (tests replace it).
        self.ask_unsaved: Callable[[QWidget, bool], str] = ask_unsaved

        self.front_view = LandmarkView(self.model, FRONT)
        self.side_view = LandmarkView(self.model, SIDE)
        self.render_view = RenderView(self.model)
        self.blendshape_view = BlendshapeBars(self.model)
        self.emotion_view = EmotionBars(self.model)
        self.curve_editor = CurveEditor(take_model=self.model)
        self.curve_editor.setMinimumHeight(90)           # the window still fits 800x500 (screenshots, laptops)
        self.curves = self.curve_editor.curves_model
        self.timeline = Timeline(self.model)
        self.job_panel = JobPanel()
        self.playback = Playback(self.model, self)
        cache = cache_dir or Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation))
        self.workflow = Workflow(self.model, self.curves, self.job_panel, self.render_view, cache, self)
        self.workflow.takeReady.connect(lambda path: self.open_take(path, ask=False))
        self.workflow.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._close_after_apply = False
        self.setAcceptDrops(True)
        self._build_layout()
        self._build_menus()
        self.path_label = QLabel()
        self.info_label = QLabel()
        self.statusBar().setContentsMargins(8, 0, 8, 0)
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.info_label)

        self.model.takeChanged.connect(self._on_take_changed)
        self.curves.dirtyChanged.connect(lambda _dirty: self._update_title())
        self.job_panel.jobSucceeded.connect(self._after_job)
        self.set_apply_pose(settings.value(KEY_APPLY_POSE, True, type=bool))
        self.resize(*DEFAULT_SIZE)
        self._restore_window()
        self._on_take_changed()

    # --------------------------------------------------------------- layout
    def _build_layout(self) -> None:
        faces = QWidget()
        self._faces_layout = QHBoxLayout(faces)
        self._faces_layout.setContentsMargins(0, 0, 0, 0)
        self._faces_layout.setSpacing(8)
        self._faces_layout.addWidget(self.front_view, 3)
        self._faces_layout.addWidget(self.side_view, 2)
        self._faces_layout.addWidget(self.render_view, 3)

        # Left: the faces above the emotion weights and curves; right: the blendshapes, full height.
        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.addWidget(faces)
        self.left_splitter.addWidget(self.emotion_view)
        self.left_splitter.addWidget(self.curve_editor)
        self.left_splitter.setStretchFactor(0, 1)
        self.left_splitter.setStretchFactor(1, 0)
        self.left_splitter.setStretchFactor(2, 0)
        self.left_splitter.setSizes([420, 110, 190])

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left_splitter)
        self.splitter.addWidget(self.blendshape_view)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([600, 490])
        for splitter in (self.splitter, self.left_splitter):
            splitter.setChildrenCollapsible(False)
            splitter.setHandleWidth(8)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(4)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.job_panel)
        layout.addWidget(self.timeline)
        self.setCentralWidget(central)

    def _action(self, menu: QMenu, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)   # shortcuts work even while the menu bar is hidden
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.open_action = self._action(file_menu, "&Open Take…", self.choose_take, QKeySequence.StandardKey.Open)
        self.open_audio_action = self._action(file_menu, "Open &Audio (Generate a Take)…", self.choose_audio,
                                              "Ctrl+Shift+O")
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.addSeparator()
        self.save_as_action = self._action(file_menu, "Save Take &As…", self.choose_save_as,
                                           QKeySequence.StandardKey.SaveAs)
        self.export_action = self._action(file_menu, "&Export Video…", self.choose_export, "Ctrl+E")
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self._refresh_recent_menu()

        view_menu = bar.addMenu("&View")
        self.pose_action = self._action(view_menu, "Apply &Head Pose", self.set_apply_pose, "P")
        self.pose_action.setCheckable(True)
        self.pose_action.setToolTip("Show landmarks moved by the head pose (camera space) or held still (head space)")

        frame_menu = bar.addMenu("F&rame")
        model = self.model
        self.play_action = self._action(frame_menu, "&Play / Pause", self.playback.toggle, "Space")
        self.frame_actions = [self.play_action,
            self._action(frame_menu, "&Previous Frame", lambda: model.step(-1), "Left"),
            self._action(frame_menu, "&Next Frame", lambda: model.step(1), "Right"),
            self._action(frame_menu, "&Back One Second", lambda: model.step_seconds(-1.0), "Shift+Left"),
            self._action(frame_menu, "&Forward One Second", lambda: model.step_seconds(1.0), "Shift+Right"),
            self._action(frame_menu, "&First Frame", model.go_first, "Home"),
            self._action(frame_menu, "&Last Frame", model.go_last, "End"),
        ]
        emotion_menu = bar.addMenu("&Emotion")
        self.apply_action = self._action(emotion_menu, "&Apply Curves (Re-bake Emotion)", self.apply_emotion,
                                         "Ctrl+Return")
        render_menu = bar.addMenu("Re&nder")
        self.render_frame_action = self._action(render_menu, "Preview &Frame", self.render_current_frame, "R")
        self.render_second_action = self._action(render_menu, "Preview Next &Second", self.render_next_second,
                                                 "Shift+R")
        self.job_actions = [self.save_as_action, self.apply_action, self.render_frame_action, self.render_second_action,
                            self.export_action]
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, f"&About {APP_TITLE}", self._about)

    # ---------------------------------------------------------- opening
    def choose_take(self) -> bool:
        """Ask for a Take folder and open it; False if cancelled or invalid."""
        start = str(self.model.path.parent) if self.model.path else ""
        folder = QFileDialog.getExistingDirectory(self, "Open Take", start)
        return bool(folder) and self.open_take(folder)

    def choose_audio(self) -> bool:
        """Ask for a speech file and generate a Take from it (beside the audio)."""
        patterns = " ".join(f"*{suffix}" for suffix in AUDIO_SUFFIXES)
        path, _ = QFileDialog.getOpenFileName(self, "Open Audio", "", f"Speech ({patterns})")
        return bool(path) and self.open_path(path)

    def open_path(self, path: str | os.PathLike[str]) -> bool:
        """A Take folder opens; an audio file is generated into a new Take, which then opens."""
        target = Path(path)
        if is_audio(target):
            if not self._may_discard_edits():
                return False
            return self.workflow.generate(target) is not None
        return self.open_take(target)

    def open_take(self, take_dir: str | os.PathLike[str], ask: bool = True) -> bool:
        """Open a Take folder; on a TakeError show its one-line message and keep the current Take."""
        if ask and not self._may_discard_edits():
            return False
        try:
            self.model.load(take_dir)
        except TakeError as err:
            QMessageBox.critical(self, OPEN_ERROR_TITLE, str(err))
            return False
        return True

    def _refresh_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        paths = self.recent.paths()
        for number, path in enumerate(paths, start=1):
            action = menu.addAction(f"&{number}  {path.name}  —  {path.parent}")
            action.setData(str(path))
            action.setEnabled(path.is_dir())
            action.triggered.connect(lambda _=False, p=path: self.open_take(p))
        if paths:
            menu.addSeparator()
        clear = menu.addAction("&Clear Recent Takes")
        clear.setEnabled(bool(paths))
        clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        self.recent.clear()
        self._refresh_recent_menu()

    # ---------------------------------------------------------- CLI work
    def apply_emotion(self) -> None:
        if self.model.has_take:
            self.workflow.apply_emotion()

    def render_current_frame(self) -> None:
        if self.model.has_take:
            self.workflow.render_preview(self.model.frame)

    def render_next_second(self) -> None:
        if self.model.has_take:
            last = min(self.model.last_frame, self.model.frame + max(1, round(self.model.fps)) - 1)
            self.workflow.render_preview(self.model.frame, last)

    def choose_save_as(self) -> None:
        if self.model.path is None:
            return
        folder, _ = QFileDialog.getSaveFileName(self, "Save Take As", str(self.model.path) + "_copy", "Take folder")
        if folder:
            self.save_take_as(Path(folder))

    def save_take_as(self, folder: Path) -> bool:
        """Copy the open Take (as baked: apply edits first) to ``folder`` and open the copy."""
        try:
            copy_take(self.model.path, folder)
        except (OSError, RealtalkError) as err:
            QMessageBox.critical(self, "Cannot save take", str(err).splitlines()[0])
            return False
        return self.open_take(folder, ask=False)

    def choose_export(self) -> None:
        if not self.model.has_take:
            return
        start = str((self.model.path or Path.home()).with_suffix(".mp4"))
        path, _ = QFileDialog.getSaveFileName(self, "Export Video", start, "MP4 video (*.mp4)")
        if path:
            self.workflow.export_video(Path(path))

    def _after_job(self, _outputs: dict) -> None:
        if self._close_after_apply and not self.curves.dirty:
            self._close_after_apply = False
            self.close()

    def _may_discard_edits(self) -> bool:
        """True when there are no unapplied curve edits, or the user agrees to lose them."""
        return not self.curves.dirty or self.ask_unsaved(self, False) == "discard"

    # ---------------------------------------------------------- drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent | None) -> None:
        if event is not None and self._dropped_path(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent | None) -> None:
        path = self._dropped_path(event) if event is not None else None
        if path is not None:
            event.acceptProposedAction()
            self.open_path(path)

    @staticmethod
    def _dropped_path(event) -> Path | None:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            path = Path(url.toLocalFile())
            if url.isLocalFile() and (is_take(path) or is_audio(path)):
                return path
        return None

    # ---------------------------------------------------------- reactions
    def _update_title(self) -> None:
        model = self.model
        edited = " • emotion edited" if self.curves.dirty else ""
        self.setWindowTitle(f"{model.name or 'untitled take'}{edited} — {APP_TITLE}" if model.has_take else APP_TITLE)
        self.setWindowModified(self.curves.dirty)

    def _on_take_changed(self) -> None:
        model = self.model
        take = model.take
        self._update_title()
        for action in self.frame_actions + self.job_actions:
            action.setEnabled(model.has_take)
        if take is None:
            self.path_label.setText("Open a take folder with File ▸ Open Take… (Ctrl+O)")
            self.info_label.setText("")
            return
        if model.path is not None:
            self.recent.add(model.path)
            self._refresh_recent_menu()
        self.path_label.setText(str(model.path or ""))
        audio = take.audio.path if take.audio else "no audio"
        subject = take.subject.name if take.subject else "no subject"
        self.info_label.setText(f"{take.fps:g} fps · {take.frame_count} frames · {take.duration:.2f} s · "
                                 f"{audio} · {subject}")
        self._balance_face_views()

    def set_apply_pose(self, on: bool) -> None:
        on = bool(on)
        self.pose_action.setChecked(on)
        for view in (self.front_view, self.side_view):
            view.set_apply_pose(on)
        self._settings.setValue(KEY_APPLY_POSE, on)
        self._balance_face_views()

    def _balance_face_views(self) -> None:
        """Give the front and side views widths in proportion to what they show, so both share one scale."""
        front, side = self.front_view.bounds(), self.side_view.bounds()
        if front is None or side is None:
            return
        self._faces_layout.setStretch(0, max(1, round(front.extent(FRONT.horizontal) * 1000)))
        self._faces_layout.setStretch(1, max(1, round(side.extent(SIDE.horizontal) * 1000)))

    def _about(self) -> None:
        QMessageBox.about(self, f"About {APP_TITLE}",
                          f"<b>{APP_TITLE}</b> {__version__}<br>RealTalk Studio's previewer: open speech or a Take, "
                          "scrub and listen, edit the emotion curves and re-bake them, and preview rendered frames. "
                          "All model work runs through the realtalk command-line tools.")

    # ---------------------------------------------------- window settings
    def _restore_window(self) -> None:
        for key, restore in ((KEY_GEOMETRY, self.restoreGeometry), (KEY_SPLITTER, self.splitter.restoreState),
                             (KEY_LEFT_SPLITTER, self.left_splitter.restoreState)):
            value = self._settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)

    def closeEvent(self, event: QCloseEvent | None) -> None:
        if self.curves.dirty and event is not None:
            answer = self.ask_unsaved(self, True)
            if answer != "discard":
                event.ignore()
                if answer == "apply":
                    self._close_after_apply = True
                    self.apply_emotion()
                return
        if self.job_panel.busy:
            self.job_panel.cancel()
        self.playback.pause()
        self._settings.setValue(KEY_GEOMETRY, self.saveGeometry())
        self._settings.setValue(KEY_SPLITTER, self.splitter.saveState())
        self._settings.setValue(KEY_LEFT_SPLITTER, self.left_splitter.saveState())
        self._settings.sync()
        super().closeEvent(event)
