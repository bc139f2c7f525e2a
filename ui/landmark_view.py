"""One orthographic view of the current frame's 478 landmarks, drawn with QPainter.

Every landmark is a small dot; lips, eyes, irises and brows are coloured by group and
joined in their contour order (``LANDMARK_GROUPS``); the face oval is a faint outline.
The view fits the whole Take's bounds, so it scales with the widget and keeps aspect.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QPointF, QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PyQt6.QtWidgets import QSizePolicy, QWidget

from realtalk_core.schema import LANDMARK_GROUPS

from . import theme
from .model import TakeModel
from .painting import paint_panel, paint_placeholder
from .projection import Bounds, ViewAxes, fit_view, frame_points, project, take_bounds

#: Groups whose first index is a centre point and whose other indices form a closed rim.
CENTRED_GROUPS = frozenset({"iris_right", "iris_left"})
CAPTION_SPACE = "head space"
CAPTION_POSED = "camera space"


def _polygon(points: np.ndarray) -> QPolygonF:
    return QPolygonF([QPointF(float(x), float(y)) for x, y in points])


class LandmarkView(QWidget):
    """Draws ``model``'s current frame seen along one pair of axes."""

    def __init__(self, model: TakeModel, axes: ViewAxes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._axes = axes
        self._apply_pose = True
        self._bounds: Bounds | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        model.takeChanged.connect(self._on_take_changed)
        model.frameChanged.connect(self.update)
        self._on_take_changed()

    # ------------------------------------------------------------ settings
    @property
    def axes(self) -> ViewAxes:
        return self._axes

    @property
    def apply_pose(self) -> bool:
        return self._apply_pose

    def set_apply_pose(self, on: bool) -> None:
        """Show landmarks moved by the head pose (camera space) or still (head space)."""
        if on != self._apply_pose:
            self._apply_pose = on
            self._on_take_changed()

    def bounds(self) -> Bounds | None:
        """What the view fits (None without a Take)."""
        return self._bounds

    def _on_take_changed(self) -> None:
        take = self._model.take
        self._bounds = take_bounds(take, self._apply_pose) if take is not None else None
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 400)

    def minimumSizeHint(self) -> QSize:
        return QSize(140, 180)

    # ------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().window())
        subtitle = f"{self._axes.caption} · {CAPTION_POSED if self._apply_pose else CAPTION_SPACE}"
        content = paint_panel(painter, QRectF(self.rect()), self._axes.title, subtitle)
        take = self._model.take
        if take is None or self._bounds is None:
            paint_placeholder(painter, content, "No take open")
            painter.end()
            return
        fit = fit_view(self._bounds, self._axes, content.left(), content.top(), content.width(), content.height())
        points = frame_points(take, self._model.index, self._apply_pose)
        pixels = fit.map(project(points, self._axes))              # (478, 2)
        self._paint_landmarks(painter, pixels, fit.scale)
        painter.end()

    def _paint_landmarks(self, painter: QPainter, pixels: np.ndarray, scale: float) -> None:
        # Dot sizes follow the zoom a little, so a small window stays readable and a big one airy.
        dot = float(np.clip(scale * 0.0011, 1.6, 3.2))
        round_pen = Qt.PenCapStyle.RoundCap

        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(theme.FACE_OVAL, 1.2))
        painter.drawPolygon(_polygon(pixels[list(LANDMARK_GROUPS["face_oval"])]))

        painter.setPen(QPen(theme.POINT, dot, cap=round_pen))
        painter.drawPoints(_polygon(pixels))

        for group, colour in theme.LANDMARK_DOT_COLOURS.items():
            painter.setPen(QPen(colour, dot * 1.3, cap=round_pen))
            painter.drawPoints(_polygon(pixels[list(LANDMARK_GROUPS[group])]))

        for group, colour in theme.LANDMARK_COLOURS.items():
            indices = list(LANDMARK_GROUPS[group])
            self._paint_contour(painter, pixels, indices, colour, dot, centred=group in CENTRED_GROUPS)

    @staticmethod
    def _paint_contour(painter: QPainter, pixels: np.ndarray, indices: list[int], colour: QColor,
                       dot: float, centred: bool) -> None:
        line = QColor(colour)
        line.setAlphaF(0.85)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(line, 1.4, cap=Qt.PenCapStyle.RoundCap, join=Qt.PenJoinStyle.RoundJoin))
        if centred:
            # An iris: an axis-aligned ellipse through its rim points, around its centre.
            rim = pixels[indices[1:]]
            low, high = rim.min(axis=0), rim.max(axis=0)
            centre = QPointF(*(float(c) for c in (low + high) / 2.0))
            painter.drawEllipse(centre, float(high[0] - low[0]) / 2.0, float(high[1] - low[1]) / 2.0)
        else:
            painter.drawPolygon(_polygon(pixels[indices]))
        painter.setPen(QPen(colour, dot * 1.4, cap=Qt.PenCapStyle.RoundCap))
        painter.drawPoints(_polygon(pixels[indices]))
