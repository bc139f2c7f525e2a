"""QPainter helpers shared by the views: a titled panel and a labelled bar."""

from __future__ import annotations

from PyQt6.QtCore import QRectF, Qt
from PyQt6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from . import theme

PANEL_RADIUS = 6.0
PANEL_PADDING = 10.0
TITLE_HEIGHT = 22.0


def paint_panel(painter: QPainter, rect: QRectF, title: str, subtitle: str = "") -> QRectF:
    """Draw a rounded panel with a title line; return the content rectangle below the title.

    The painter's font is left as it was.
    """
    painter.save()
    painter.setPen(QPen(theme.PANEL_BORDER, 1.0))
    painter.setBrush(theme.PANEL)
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), PANEL_RADIUS, PANEL_RADIUS)
    title_font = theme.caption_font(painter.font())
    painter.setFont(title_font)
    painter.setPen(theme.TEXT)
    title_rect = QRectF(rect.left() + PANEL_PADDING, rect.top() + 6.0,
                        rect.width() - 2 * PANEL_PADDING, TITLE_HEIGHT - 6.0)
    painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    if subtitle:
        used = QFontMetricsF(title_font).horizontalAdvance(title) + 8.0
        sub_font = QFont(painter.font())
        sub_font.setBold(False)
        sub_font.setCapitalization(QFont.Capitalization.MixedCase)
        painter.setFont(sub_font)
        painter.setPen(theme.TEXT_DIM)
        sub_rect = title_rect.adjusted(used, 0, 0, 0)
        text = QFontMetricsF(sub_font).elidedText(subtitle, Qt.TextElideMode.ElideRight, sub_rect.width())
        painter.drawText(sub_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
    painter.restore()
    return rect.adjusted(PANEL_PADDING, TITLE_HEIGHT + 4.0, -PANEL_PADDING, -PANEL_PADDING)


def paint_placeholder(painter: QPainter, rect: QRectF, text: str) -> None:
    painter.setPen(theme.TEXT_DIM)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)


def paint_bar(painter: QPainter, rect: QRectF, label: str, value: float, colour: QColor,
              label_width: float, value_text: str, emphasis: bool = False) -> None:
    """One row: a label, a track with a filled part for ``value`` in [0, 1], and the value as text."""
    metrics = QFontMetricsF(painter.font())
    value_width = metrics.horizontalAdvance("100%") + 6.0
    text_flags = Qt.AlignmentFlag.AlignVCenter
    label_rect = QRectF(rect.left(), rect.top(), label_width - 6.0, rect.height())
    painter.setPen(theme.TEXT if emphasis or value > 0.005 else theme.TEXT_DIM)
    painter.drawText(label_rect, text_flags | Qt.AlignmentFlag.AlignLeft,
                     metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_rect.width()))

    track_height = max(3.0, min(8.0, rect.height() * 0.45))
    track = QRectF(rect.left() + label_width, rect.center().y() - track_height / 2.0,
                   max(rect.width() - label_width - value_width, 4.0), track_height)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(theme.TRACK)
    painter.drawRoundedRect(track, track_height / 2.0, track_height / 2.0)
    fraction = min(max(float(value), 0.0), 1.0)
    if fraction > 0.0:
        filled = QRectF(track.left(), track.top(), max(track.width() * fraction, track_height), track.height())
        painter.setBrush(colour)
        painter.drawRoundedRect(filled, track_height / 2.0, track_height / 2.0)

    painter.setPen(theme.TEXT if emphasis or value > 0.005 else theme.TEXT_DIM)
    value_rect = QRectF(track.right(), rect.top(), value_width, rect.height())
    painter.drawText(value_rect, text_flags | Qt.AlignmentFlag.AlignRight, value_text)
