"""The rendered frame beside the landmark views: the preview render's PNG for the current frame, if there is one.

Preview renders land in a cache folder (see :mod:`workflow`); this view only looks there, so it never blocks on
a model. Frames not rendered yet show a hint saying how to render them.
"""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import QRectF, QSize, Qt
from PyQt6.QtGui import QPainter, QPaintEvent, QPixmap
from PyQt6.QtWidgets import QSizePolicy, QWidget

from .model import TakeModel
from .painting import paint_panel, paint_placeholder

HINT = "No render of this frame yet\nRender ▸ Preview Frame (R)"


class RenderView(QWidget):
    """Shows ``folder/NNNNNN.png`` for the model's current frame, scaled to fit, or a hint."""

    def __init__(self, model: TakeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._folder: Path | None = None
        self._pixmap: QPixmap | None = None
        self.setObjectName("renderView")
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        model.frameChanged.connect(lambda _frame: self.refresh())
        model.takeChanged.connect(self.refresh)

    def sizeHint(self) -> QSize:
        return QSize(300, 300)

    @property
    def folder(self) -> Path | None:
        return self._folder

    def set_folder(self, folder: Path | None) -> None:
        """Where the frames PNGs are (``OUT/frames`` of a render); None shows nothing."""
        self._folder = Path(folder) if folder is not None else None
        self.refresh()

    def frame_path(self) -> Path | None:
        if self._folder is None or not self._model.has_take:
            return None
        return self._folder / f"{self._model.frame:06d}.png"

    @property
    def has_frame(self) -> bool:
        return self._pixmap is not None

    def refresh(self) -> None:
        path = self.frame_path()
        pixmap = QPixmap(str(path)) if path is not None and path.is_file() else None
        self._pixmap = pixmap if pixmap is not None and not pixmap.isNull() else None
        self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        subtitle = f"frame {self._model.frame}" if self._pixmap is not None else ""
        content = paint_panel(painter, QRectF(self.rect()), "RENDER", subtitle)
        if self._pixmap is None:
            paint_placeholder(painter, content, HINT if self._model.has_take else "")
            return
        size = self._pixmap.size().toSizeF().scaled(content.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = content.left() + (content.width() - size.width()) / 2
        y = content.top() + (content.height() - size.height()) / 2
        painter.drawPixmap(QRectF(x, y, size.width(), size.height()), self._pixmap, QRectF(self._pixmap.rect()))
