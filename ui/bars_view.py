"""A panel of named, labelled bars in sections, flowed into as many columns as fit.

Generic over what it shows: the blendshape and emotion views (``channel_views``) give it
sections of named channels and a function returning the current frame's values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from PyQt6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent
from PyQt6.QtWidgets import QSizePolicy, QToolTip, QWidget

from . import theme
from .model import TakeModel
from .painting import paint_bar, paint_panel, paint_placeholder


@dataclass(frozen=True)
class BarSection:
    """Rows under one optional header: ``labels[i]`` shows ``values[columns[i]]`` in ``colours[i]``."""

    title: str | None
    labels: tuple[str, ...]
    columns: tuple[int, ...]
    colours: tuple[QColor, ...]


@dataclass(frozen=True)
class BarStyle:
    """Sizes of a bar panel, in pixels."""

    min_row: float = 13.0
    max_row: float = 19.0
    min_column_width: float = 210.0
    column_gap: float = 18.0
    max_label_fraction: float = 0.62
    max_columns: int = 4


@dataclass(frozen=True)
class _Row:
    section: BarSection
    item: int          # index into the section, or -1 for the section's header
    continued: bool = False


def flow_columns(sections: Sequence[BarSection], count: int) -> list[list[_Row]]:
    """Split header and item rows into ``count`` balanced columns, never orphaning a header.

    A section split across columns repeats its header (marked ``continued``) at the top of the next.
    """
    total = sum(len(s.labels) + (1 if s.title else 0) for s in sections)
    target = max(1, math.ceil(total / max(count, 1)))
    columns: list[list[_Row]] = [[]]
    for section in sections:
        if section.title:
            if columns[-1] and len(columns[-1]) >= target - 1 and len(columns) < count:
                columns.append([])
            columns[-1].append(_Row(section, -1))
        for item in range(len(section.labels)):
            if len(columns[-1]) >= target and len(columns) < count:
                columns.append([_Row(section, -1, continued=True)] if section.title else [])
            columns[-1].append(_Row(section, item))
    return columns


class BarsView(QWidget):
    """Draws one bar per channel of the current frame, read through ``values(model)``."""

    def __init__(self, model: TakeModel, title: str, sections: Sequence[BarSection],
                 values: Callable[[TakeModel], np.ndarray], value_text: Callable[[float], str],
                 subtitle: Callable[[TakeModel], str] = lambda model: "",
                 style: BarStyle | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._title = title
        self._sections = tuple(sections)
        self._values = values
        self._value_text = value_text
        self._subtitle = subtitle
        self._style = style or BarStyle()
        self._hits: list[tuple[QRectF, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        model.takeChanged.connect(self.update)
        model.frameChanged.connect(self.update)

    @property
    def row_count(self) -> int:
        return sum(len(s.labels) for s in self._sections)

    def sizeHint(self) -> QSize:
        return QSize(440, 200)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, 120)

    def layout_columns(self, content: QRectF) -> tuple[list[list[_Row]], float]:
        """The fewest columns whose rows fit ``content`` at the minimum row height, and the row height."""
        style = self._style
        fitting = int((content.width() + style.column_gap) // (style.min_column_width + style.column_gap))
        max_columns = max(1, min(style.max_columns, fitting))
        for count in range(1, max_columns + 1):
            columns = flow_columns(self._sections, count)
            rows = max(len(c) for c in columns)
            if rows * style.min_row <= content.height():
                break
        return columns, min(style.max_row, content.height() / max(rows, 1))

    # ------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent | None) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().window())
        model = self._model
        content = paint_panel(painter, QRectF(self.rect()), self._title,
                              self._subtitle(model) if model.has_take else "")
        self._hits = []
        if not model.has_take:
            paint_placeholder(painter, content, "No take open")
            painter.end()
            return
        values = self._values(model)
        columns, row_height = self.layout_columns(content)
        font = QFont(self.font())
        font.setPixelSize(int(np.clip(row_height * 0.7, 9, 11)))
        painter.setFont(font)
        gap = self._style.column_gap
        width = (content.width() - gap * (len(columns) - 1)) / len(columns)
        label_width = self._label_width(font, width)
        for c, column in enumerate(columns):
            left = content.left() + c * (width + gap)
            for r, row in enumerate(column):
                rect = QRectF(left, content.top() + r * row_height, width, row_height)
                self._paint_row(painter, rect, row, values, label_width, font)

        painter.end()

    def _label_width(self, font: QFont, column_width: float) -> float:
        metrics = QFontMetricsF(font)
        widest = max(metrics.horizontalAdvance(label) for s in self._sections for label in s.labels)
        return min(widest + 10.0, column_width * self._style.max_label_fraction)

    def _paint_row(self, painter: QPainter, rect: QRectF, row: _Row, values: np.ndarray,
                   label_width: float, font: QFont) -> None:
        section = row.section
        if row.item < 0:
            header = theme.caption_font(font, max(font.pixelSize() - 1, 8))
            painter.setFont(header)
            colour = section.colours[0] if section.colours else theme.TEXT
            painter.setPen(colour if not row.continued else theme.TEXT_DIM)
            text = f"{section.title} (cont.)" if row.continued else str(section.title)
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, text)
            painter.setFont(font)
            return
        value = float(values[section.columns[row.item]])
        label = section.labels[row.item]
        paint_bar(painter, rect.adjusted(0, 0.5, 0, -0.5), label, value, section.colours[row.item],
                  label_width, self._value_text(value))
        self._hits.append((rect, f"{label}: {self._value_text(value)}"))

    # ------------------------------------------------------------ tooltips
    def tooltip_at(self, point: QPointF) -> str:
        """The label and value of the bar under ``point`` (as last painted), or ''."""
        return next((text for rect, text in self._hits if rect.contains(point)), "")

    def event(self, event: QEvent | None) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
