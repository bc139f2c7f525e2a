"""The previewer's main window: menus, the views around one TakeModel, and take opening.

Thin by design: state lives in :class:`TakeModel`, drawing in the views, and where
settings are stored is decided by whoever passes the ``QSettings``.
"""

from __future__ import annotations

import os

from PyQt6.QtCore import QByteArray, QSettings, Qt
from PyQt6.QtGui import QAction, QCloseEvent, QKeySequence
from PyQt6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMenu, QMessageBox, QSplitter,
                             QVBoxLayout, QWidget)

from realtalk_core import __version__
from realtalk_core.schema import TakeError

from .channel_views import BlendshapeBars, EmotionBars
from .landmark_view import LandmarkView
from .model import TakeModel
from .projection import FRONT, SIDE
from .recent import RecentTakes
from .timeline import Timeline

APP_TITLE = "RealTalk Preview"
KEY_GEOMETRY = "window/geometry"
KEY_SPLITTER = "window/splitter"
KEY_LEFT_SPLITTER = "window/leftSplitter"
KEY_APPLY_POSE = "view/applyHeadPose"
OPEN_ERROR_TITLE = "Cannot open take"
DEFAULT_SIZE = (1100, 700)


class MainWindow(QMainWindow):
    """Front and side landmark views, blendshape and emotion bars, and a timeline."""

    def __init__(self, settings: QSettings, model: TakeModel | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.model = model or TakeModel(self)
        self.recent = RecentTakes(settings)

        self.front_view = LandmarkView(self.model, FRONT)
        self.side_view = LandmarkView(self.model, SIDE)
        self.blendshape_view = BlendshapeBars(self.model)
        self.emotion_view = EmotionBars(self.model)
        self.timeline = Timeline(self.model)
        self._build_layout()
        self._build_menus()
        self.path_label = QLabel()
        self.info_label = QLabel()
        self.statusBar().setContentsMargins(8, 0, 8, 0)
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.info_label)

        self.model.takeChanged.connect(self._on_take_changed)
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

        # Left: the faces above the emotion weights; right: the blendshapes, full height.
        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.addWidget(faces)
        self.left_splitter.addWidget(self.emotion_view)
        self.left_splitter.setStretchFactor(0, 1)
        self.left_splitter.setStretchFactor(1, 0)
        self.left_splitter.setSizes([520, 130])

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
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self._refresh_recent_menu()

        view_menu = bar.addMenu("&View")
        self.pose_action = self._action(view_menu, "Apply &Head Pose", self.set_apply_pose, "P")
        self.pose_action.setCheckable(True)
        self.pose_action.setToolTip("Show landmarks moved by the head pose (camera space) or held still (head space)")

        frame_menu = bar.addMenu("F&rame")
        model = self.model
        self.frame_actions = [
            self._action(frame_menu, "&Previous Frame", lambda: model.step(-1), "Left"),
            self._action(frame_menu, "&Next Frame", lambda: model.step(1), "Right"),
            self._action(frame_menu, "&Back One Second", lambda: model.step_seconds(-1.0), "Shift+Left"),
            self._action(frame_menu, "&Forward One Second", lambda: model.step_seconds(1.0), "Shift+Right"),
            self._action(frame_menu, "&First Frame", model.go_first, "Home"),
            self._action(frame_menu, "&Last Frame", model.go_last, "End"),
        ]
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, f"&About {APP_TITLE}", self._about)

    # ---------------------------------------------------------- opening
    def choose_take(self) -> bool:
        """Ask for a Take folder and open it; False if cancelled or invalid."""
        start = str(self.model.path.parent) if self.model.path else ""
        folder = QFileDialog.getExistingDirectory(self, "Open Take", start)
        return bool(folder) and self.open_take(folder)

    def open_take(self, take_dir: str | os.PathLike[str]) -> bool:
        """Open a Take folder; on a TakeError show its one-line message and keep the current Take."""
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

    # ---------------------------------------------------------- reactions
    def _on_take_changed(self) -> None:
        model = self.model
        take = model.take
        self.setWindowTitle(f"{model.name or 'untitled take'} — {APP_TITLE}" if model.has_take else APP_TITLE)
        for action in self.frame_actions:
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
                          f"<b>{APP_TITLE}</b> {__version__}<br>RealTalk Studio's take previewer: landmarks, "
                          "blendshapes and emotion of a Take, frame by frame.")

    # ---------------------------------------------------- window settings
    def _restore_window(self) -> None:
        for key, restore in ((KEY_GEOMETRY, self.restoreGeometry), (KEY_SPLITTER, self.splitter.restoreState),
                             (KEY_LEFT_SPLITTER, self.left_splitter.restoreState)):
            value = self._settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)

    def closeEvent(self, event: QCloseEvent | None) -> None:
        self._settings.setValue(KEY_GEOMETRY, self.saveGeometry())
        self._settings.setValue(KEY_SPLITTER, self.splitter.saveState())
        self._settings.setValue(KEY_LEFT_SPLITTER, self.left_splitter.saveState())
        self._settings.sync()
        super().closeEvent(event)
