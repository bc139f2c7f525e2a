"""The emotion curve editor: keys of an :class:`EmotionCurvesModel` drawn over the Take's time.

x is seconds on the scene clock (frame ``f`` at ``f / fps``, as in the curves file); y is each
channel's own range ([0, 1] for emotions, [0, 2] for intensity) over the plot's full height.
The solid curves are the model's samples, i.e. the mix that generate bakes; where the active
channel's own keys say something else (the mix is normalised) they are drawn dashed as well.

Mouse: click or drag on empty space scrubs the Take; double-click adds a key to the active
channel; drag a key to move it; right-click or Delete/Backspace deletes it; Ctrl+Z undoes.
Click a legend entry (or press 1-9) to choose the active channel.
"""

from __future__ import annotations

import math

import numpy as np
from PyQt6.QtCore import QPointF, QRectF, QSignalBlocker, QSize, Qt, pyqtSignal
from PyQt6.QtGui import (QColor, QFont, QFontMetricsF, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen,
                         QPolygonF, QResizeEvent)
from PyQt6.QtWidgets import QComboBox, QSizePolicy, QWidget

from realtalk_core.schema.emotion_curves import INTERPOLATIONS

from . import theme
from .curves_model import CHANNELS, INTENSITY, EmotionCurvesModel, value_range
from .model import TakeModel
from .painting import PANEL_PADDING, TITLE_HEIGHT, paint_panel, paint_placeholder

TITLE = "Emotion curves"
AXIS_LEFT = 28.0          # room for the value labels
AXIS_BOTTOM = 15.0        # room for the time labels
LEGEND_HEIGHT = 16.0
HANDLE_RADIUS = 4.0
HIT_RADIUS = 7.0          # a press this close to a key's centre grabs it
#: Time grid steps in seconds; the smallest leaving at least MIN_GRID_PX between lines is used.
GRID_STEPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0)
MIN_GRID_PX = 56.0
PLOT_BACKGROUND = QColor("#1f2125")
GRID = QColor("#2d3036")
GRID_SECOND = QColor("#3b3f47")
INTENSITY_COLOUR = QColor("#4fd1c5")      # apart from every emotion's colour
_SOURCES = {"provenance": "as generated", "track": "from the emotion track"}
_LEFT, _VCENTER = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignVCenter


def channel_colour(channel: str) -> QColor:
    return INTENSITY_COLOUR if channel == INTENSITY else theme.EMOTION_COLOURS[channel]


class CurveEditor(QWidget):
    """Edits ``curves`` over the Take of ``take_model``; with ``follow_take`` it loads each opened Take's curves."""

    #: The active channel changed (its name).
    activeChannelChanged = pyqtSignal(str)

    def __init__(self, curves: EmotionCurvesModel | None = None, take_model: TakeModel | None = None,
                 follow_take: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._curves = curves if curves is not None else EmotionCurvesModel(self)
        self._take_model: TakeModel | None = None
        self._follow_take = follow_take
        self._active = "happy"
        self._selected: int | None = None
        self._drag_offset: QPointF | None = None    # handle centre minus press point, while dragging a key
        self._drag_moved = self._scrubbing = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.interpolation_box = box = QComboBox(self)
        box.setObjectName("curveInterpolation")
        box.addItems(INTERPOLATIONS)
        box.setToolTip("Easing between keys, for every channel")
        box.setFont(self._small_font(pixels=11))
        box.currentTextChanged.connect(self._curves.set_interpolation)
        self._curves.curvesChanged.connect(self._on_curves_changed)
        self._curves.dirtyChanged.connect(self.update)
        self._on_curves_changed()
        box.setVisible(False)
        if take_model is not None:
            self.set_take_model(take_model)

    # ------------------------------------------------------------------ wiring
    @property
    def curves_model(self) -> EmotionCurvesModel:
        return self._curves

    def set_take_model(self, take_model: TakeModel) -> None:
        """Follow ``take_model``'s Take (its time range and, with follow_take, its curves) and current frame."""
        if self._take_model is not None:
            self._take_model.takeChanged.disconnect(self._on_take_changed)
            self._take_model.frameChanged.disconnect(self.update)
        self._take_model = take_model
        take_model.takeChanged.connect(self._on_take_changed)
        take_model.frameChanged.connect(self.update)
        self._on_take_changed()

    @property
    def has_take(self) -> bool:
        return self._take_model is not None and self._take_model.has_take

    def _on_take_changed(self) -> None:
        if self._follow_take and self.has_take:
            self._curves.load_from_take(self._take_model.take)
        self._selected = None
        self.interpolation_box.setVisible(self.has_take)
        self.update()

    def _on_curves_changed(self) -> None:
        if self._selected is not None and self._selected >= len(self._curves.keys(self._active)):
            self._selected = None
        with QSignalBlocker(self.interpolation_box):
            self.interpolation_box.setCurrentText(self._curves.interpolation)
        self.update()

    # ------------------------------------------------------- active and selected
    @property
    def active_channel(self) -> str:
        return self._active

    def set_active_channel(self, channel: str) -> None:
        value_range(channel)                      # refuses unknown names
        if channel != self._active:
            self._active, self._selected = channel, None
            self.activeChannelChanged.emit(channel)
            self.update()

    @property
    def selected_key(self) -> int | None:
        """Index of the selected key of the active channel, or None."""
        return self._selected

    # ---------------------------------------------------------------- geometry
    def sizeHint(self) -> QSize:
        return QSize(600, 180)

    def minimumSizeHint(self) -> QSize:
        return QSize(360, 150)

    def time_range(self) -> tuple[float, float]:
        """Scene seconds from the Take's first frame to the end of its last; (0, 1) without a Take."""
        if not self.has_take:
            return 0.0, 1.0
        start = self._take_model.first_frame / self._take_model.fps
        return start, start + self._take_model.duration

    def plot_rect(self) -> QRectF:
        return QRectF(self.rect()).adjusted(PANEL_PADDING + AXIS_LEFT, TITLE_HEIGHT + 10.0, -PANEL_PADDING - 6.0,
                                            -PANEL_PADDING - AXIS_BOTTOM - LEGEND_HEIGHT)

    def point_for(self, time: float, value: float, channel: str | None = None) -> QPointF:
        """Widget position of ``(time, value)`` in ``channel``'s value range (default: the active channel's)."""
        plot, (start, end) = self.plot_rect(), self.time_range()
        low, high = value_range(channel or self._active)
        return QPointF(plot.left() + (time - start) / (end - start) * plot.width(),
                       plot.bottom() - (value - low) / (high - low) * plot.height())

    def value_at(self, point: QPointF, channel: str | None = None) -> tuple[float, float]:
        """``(time, value)`` under ``point``, clamped into the Take's time and the channel's value range."""
        plot, (start, end) = self.plot_rect(), self.time_range()
        low, high = value_range(channel or self._active)
        u = min(max((point.x() - plot.left()) / plot.width(), 0.0), 1.0)
        v = min(max((plot.bottom() - point.y()) / plot.height(), 0.0), 1.0)
        return start + u * (end - start), low + v * (high - low)

    def key_position(self, channel: str, index: int) -> QPointF:
        time, value = self._curves.keys(channel)[index]
        return self.point_for(time, value, channel)

    def key_at(self, point: QPointF) -> int | None:
        """The active channel's key whose handle is nearest ``point`` within HIT_RADIUS, or None."""
        distances = [math.dist((p.x(), p.y()), (point.x(), point.y()))
                     for p in (self.key_position(self._active, i) for i in range(len(self._curves.keys(self._active))))]
        best = int(np.argmin(distances)) if distances else None
        return best if best is not None and distances[best] <= HIT_RADIUS else None

    def legend(self) -> dict[str, tuple[QRectF, str]]:
        """Clickable legend entries along the bottom in CHANNELS order: rectangle and text (names, or their
        first three letters when the names do not fit)."""
        plot, metrics = self.plot_rect(), QFontMetricsF(self._small_font(bold=True))
        labels, widths = list(CHANNELS), np.full(len(CHANNELS), plot.width() / len(CHANNELS))
        for texts in (list(CHANNELS), [name[:3] for name in CHANNELS]):
            natural = np.array([metrics.horizontalAdvance(text) + 16.0 for text in texts])
            labels = texts
            if natural.sum() <= plot.width():
                widths = natural + (plot.width() - natural.sum()) / len(CHANNELS)
                break
        lefts = plot.left() + np.r_[0.0, np.cumsum(widths)[:-1]]
        top = plot.bottom() + AXIS_BOTTOM + 2.0
        return {name: (QRectF(float(left), top, float(width), LEGEND_HEIGHT - 2.0), text)
                for name, left, width, text in zip(CHANNELS, lefts, widths, labels)}

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        width = self.interpolation_box.sizeHint().width()
        self.interpolation_box.setGeometry(int(self.width() - PANEL_PADDING - width), 3, width, 20)
        super().resizeEvent(event)

    def _small_font(self, bold: bool = False, pixels: int = 10) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(pixels)
        font.setBold(bold)
        return font

    # ---------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().window())
        content = paint_panel(painter, QRectF(self.rect()), TITLE)
        if not self.has_take:
            paint_placeholder(painter, content, "No take open")
            painter.end()
            return
        painter.setFont(self._small_font())
        self._paint_subtitle(painter)
        plot = self.plot_rect()
        painter.fillRect(plot, PLOT_BACKGROUND)
        self._paint_grid(painter, plot)
        painter.save()
        painter.setClipRect(plot.adjusted(-1, -2, 1, 2))
        self._paint_curves(painter, plot)
        painter.restore()
        x = self.point_for(self._take_model.frame / self._take_model.fps, 0.0).x()      # the playhead
        painter.setPen(QPen(theme.ACCENT, 1.5))
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.ACCENT)
        painter.drawPolygon(QPolygonF([QPointF(x - 5, plot.top()), QPointF(x + 5, plot.top()),
                                       QPointF(x, plot.top() + 6)]))
        count = len(self._curves.keys(self._active))                                     # the handles,
        small = min(HANDLE_RADIUS, max(2.0, plot.width() / max(count, 1) / 3.0))          # smaller when dense
        for i in range(count):
            selected = i == self._selected
            painter.setPen(QPen(theme.TEXT if selected else PLOT_BACKGROUND, 1.5 if selected else 1.0))
            painter.setBrush(channel_colour(self._active))
            radius = HANDLE_RADIUS + 1.5 if selected else small
            painter.drawEllipse(self.key_position(self._active, i), radius, radius)
        self._paint_legend(painter)
        painter.end()

    def _paint_subtitle(self, painter: QPainter) -> None:
        curves = self._curves
        parts = [_SOURCES.get(curves.source, curves.source)] + (["edited"] if curves.dirty else [])
        if self._selected is not None:
            time, value = curves.keys(self._active)[self._selected]
            parts.append(f"{self._active} key {self._selected + 1}: {time:.2f} s = {value:.2f}")
        elif not curves.keys(self._active):
            meaning = "1 − the others" if self._active == "neutral" else "1" if self._active == INTENSITY else "0"
            parts.append(f"no {self._active} keys (= {meaning}) · double-click adds one")
        left = PANEL_PADDING + 14.0 + QFontMetricsF(theme.caption_font(self.font())).horizontalAdvance(TITLE.upper())
        rect = QRectF(left, 6.0, self.interpolation_box.x() - 8.0 - left, TITLE_HEIGHT - 6.0)
        text = " · ".join(part for part in parts if part)
        painter.setPen(theme.TEXT_DIM)
        painter.drawText(rect, _LEFT | _VCENTER,
                         QFontMetricsF(painter.font()).elidedText(text, Qt.TextElideMode.ElideRight, rect.width()))

    def _paint_grid(self, painter: QPainter, plot: QRectF) -> None:
        (start, end), (low, high) = self.time_range(), value_range(self._active)
        for fraction in (0.0, 0.25, 0.5, 0.75, 1.0):
            y = plot.bottom() - fraction * plot.height()
            painter.setPen(QPen(GRID, 1.0))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            if fraction in (0.0, 0.5, 1.0):
                painter.setPen(theme.TEXT_DIM)
                painter.drawText(QRectF(plot.left() - AXIS_LEFT, y - 7, AXIS_LEFT - 6, 14),
                                 Qt.AlignmentFlag.AlignRight | _VCENTER, f"{low + fraction * (high - low):g}")
        step = next((s for s in GRID_STEPS if s * plot.width() / (end - start) >= MIN_GRID_PX), GRID_STEPS[-1])
        metrics = QFontMetricsF(painter.font())
        for k in range(math.ceil(start / step - 1e-9), math.floor(end / step + 1e-9) + 1):
            time = round(k * step, 6)
            x, whole = self.point_for(time, 0.0).x(), abs(time - round(time)) < 1e-9
            painter.setPen(QPen(GRID_SECOND if whole else GRID, 1.0))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            label = f"{time:g} s"
            width = metrics.horizontalAdvance(label) + 1.0
            left = min(max(x - width / 2.0, plot.left() - AXIS_LEFT + 2), plot.right() - width)
            painter.setPen(theme.TEXT if whole else theme.TEXT_DIM)
            painter.drawText(QRectF(left, plot.bottom() + 1, width, AXIS_BOTTOM - 1), _LEFT | _VCENTER, label)

    def _polygon(self, times: np.ndarray, values: np.ndarray, channel: str) -> QPolygonF:
        return QPolygonF([self.point_for(t, v, channel) for t, v in zip(times.tolist(), values.tolist())])

    def _paint_curves(self, painter: QPainter, plot: QRectF) -> None:
        # Sampled about every 2 px, at a whole multiple of the Take's fps so every frame time is a sample.
        model = self._take_model
        per_frame = max(1, math.ceil(plot.width() / model.take.frame_count / 2.0))
        fps, start, count = model.fps * per_frame, model.first_frame * per_frame, model.take.frame_count * per_frame + 1
        times = np.arange(start, start + count) / fps                                    # (N,) seconds
        mix, intensity = self._curves.sample(fps, count, start)                          # (N, 8), (N,)
        values = np.column_stack([mix, intensity])                                       # (N, 9) CHANNELS order
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for name in [c for c in CHANNELS if c != self._active] + [self._active]:
            active, column = name == self._active, values[:, CHANNELS.index(name)]
            if not active and np.all(column == (1.0 if name == INTENSITY else 0.0)):
                continue                          # a faded line at the default (0, or intensity 1) is noise
            colour = QColor(channel_colour(name))
            colour.setAlpha(255 if active else 80)
            pen = QPen(colour, 2.2 if active else 1.2)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPolyline(self._polygon(times, column, name))
        own = self._curves.sample_keys(self._active, fps, count, start)                  # (N,) or None
        low, high = value_range(self._active)
        baked = values[:, CHANNELS.index(self._active)]
        if own is not None and np.abs(own - baked).max() / (high - low) * plot.height() > 0.75:
            painter.setPen(QPen(channel_colour(self._active), 1.2, Qt.PenStyle.DashLine))
            painter.drawPolyline(self._polygon(times, own, self._active))

    def _paint_legend(self, painter: QPainter) -> None:
        for name, (rect, text) in self.legend().items():
            active, keyed = name == self._active, bool(self._curves.keys(name))
            swatch = QColor(channel_colour(name))
            swatch.setAlpha(255 if active else 200 if keyed else 90)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(swatch)
            painter.drawRoundedRect(QRectF(rect.left() + 2, rect.center().y() - 4, 8, 8), 2, 2)
            painter.setFont(self._small_font(bold=active))
            painter.setPen(theme.TEXT if active else theme.TEXT_DIM if keyed else theme.TEXT_DIM.darker(140))
            text_rect = rect.adjusted(14, 0, 0, 0)
            painter.drawText(text_rect, _LEFT | _VCENTER, text)
            if active:
                width = min(QFontMetricsF(painter.font()).horizontalAdvance(text), text_rect.width())
                painter.fillRect(QRectF(text_rect.left(), rect.bottom() - 1, width, 1.5), channel_colour(name))

    # ------------------------------------------------------------------- input
    def mousePressEvent(self, event: QMouseEvent | None) -> None:
        if event is None or not self.has_take:
            return
        pos, button = event.position(), event.button()
        legend = next((name for name, (rect, _) in self.legend().items() if rect.contains(pos)), None)
        key = self.key_at(pos)
        if legend is not None:
            self.set_active_channel(legend)
        elif button == Qt.MouseButton.RightButton and key is not None:
            self._delete(key)
        elif button == Qt.MouseButton.LeftButton and key is not None:
            self._selected, self._drag_moved = key, False
            self._drag_offset = self.key_position(self._active, key) - pos
            self.update()
        elif button == Qt.MouseButton.LeftButton and self._in_plot(pos):
            self._selected, self._scrubbing = None, True
            self._scrub(pos)

    def mouseMoveEvent(self, event: QMouseEvent | None) -> None:
        if event is None or not self.has_take:
            return
        pos = event.position()
        if self._drag_offset is not None and self._selected is not None:
            time, value = self.value_at(pos + self._drag_offset)
            self._curves.move_key(self._active, self._selected, time, value, merge=self._drag_moved)
            self._drag_moved = True
        elif self._scrubbing:
            self._scrub(pos)
        else:
            over_key = self.key_at(pos) is not None
            self.setCursor(Qt.CursorShape.SizeAllCursor if over_key else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent | None) -> None:
        self._drag_offset, self._scrubbing = None, False

    def mouseDoubleClickEvent(self, event: QMouseEvent | None) -> None:
        if event is None or not self.has_take or event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position()
        if self.key_at(pos) is not None:
            self.mousePressEvent(event)           # on a key: a press, as Qt's default does
        elif self._in_plot(pos):
            self._selected = self._curves.add_key(self._active, *self.value_at(pos))
            self.update()

    def keyPressEvent(self, event: QKeyEvent | None) -> None:
        if event is None:
            return
        key, control = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._selected is not None:
            self._delete(self._selected)
        elif key == Qt.Key.Key_Z and control:
            self._selected = None
            self._curves.undo()
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and not control:
            self.set_active_channel(CHANNELS[key - Qt.Key.Key_1])
        else:
            super().keyPressEvent(event)

    def _in_plot(self, pos: QPointF) -> bool:
        return self.plot_rect().adjusted(-4, -4, 4, 4).contains(pos)

    def _scrub(self, pos: QPointF) -> None:
        time, _ = self.value_at(pos)
        self._take_model.set_frame(round(time * self._take_model.fps))

    def _delete(self, index: int) -> None:
        if self._curves.delete_key(self._active, index):
            self._selected = None
            self.update()
