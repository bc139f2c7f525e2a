"""Colours and the application palette: a calm dark theme, defined once.

Views take their background and text colours from the widget palette, and the colours
of named channel groups from the tables here, so every view agrees on "lips are pink".
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from PyQt6.QtGui import QColor, QFont, QPalette
from PyQt6.QtWidgets import QApplication

WINDOW = QColor("#1d1f23")
PANEL = QColor("#25282d")
PANEL_BORDER = QColor("#33373e")
TRACK = QColor("#30343b")           # the empty part of a bar
TEXT = QColor("#d7dae0")
TEXT_DIM = QColor("#8b919c")
ACCENT = QColor("#5aa9e6")
POINT = QColor("#6f7682")            # landmarks outside any highlighted group
FACE_OVAL = QColor("#4c525c")

#: Landmark contour groups drawn in colour, with their colours. The order is the drawing order.
LANDMARK_COLOURS: Mapping[str, QColor] = MappingProxyType({
    "brow_right": QColor("#8bd49c"),
    "brow_left": QColor("#8bd49c"),
    "eye_right": QColor("#5ec8f2"),
    "eye_left": QColor("#5ec8f2"),
    "lips_outer": QColor("#f27b93"),
    "lips_inner": QColor("#f7a8b8"),
    "iris_right": QColor("#f5c451"),
    "iris_left": QColor("#f5c451"),
})
#: Landmark groups drawn as coloured dots only (they are not closed contours).
LANDMARK_DOT_COLOURS: Mapping[str, QColor] = MappingProxyType({
    "nose": QColor("#b9a6e8"),
})

#: Colours of the blendshape groups (keys are exactly BLENDSHAPE_GROUPS' names).
BLENDSHAPE_COLOURS: Mapping[str, QColor] = MappingProxyType({
    "eyes": QColor("#5ec8f2"),
    "jaw": QColor("#e8a05e"),
    "mouth": QColor("#f27b93"),
    "brows": QColor("#8bd49c"),
    "cheeks": QColor("#e6c86e"),
    "nose": QColor("#b9a6e8"),
    "tongue": QColor("#ef8f6b"),
})

#: Colours of the emotion channels (keys are exactly EMOTION_NAMES).
EMOTION_COLOURS: Mapping[str, QColor] = MappingProxyType({
    "neutral": QColor("#9aa3b0"),
    "angry": QColor("#e5534b"),
    "disgust": QColor("#8fbf4f"),
    "contempt": QColor("#c27be0"),
    "fear": QColor("#7f8ff4"),
    "happy": QColor("#f5c451"),
    "sad": QColor("#4aa3df"),
    "surprise": QColor("#f08c3a"),
})

def dark_palette() -> QPalette:
    """The application palette of the dark theme."""
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, WINDOW), (roles.WindowText, TEXT), (roles.Base, PANEL),
        (roles.AlternateBase, TRACK), (roles.ToolTipBase, PANEL), (roles.ToolTipText, TEXT),
        (roles.PlaceholderText, TEXT_DIM), (roles.Text, TEXT), (roles.Button, PANEL),
        (roles.ButtonText, TEXT), (roles.BrightText, QColor("#ffffff")), (roles.Highlight, ACCENT),
        (roles.HighlightedText, QColor("#0d1117")), (roles.Link, ACCENT), (roles.Mid, PANEL_BORDER),
        (roles.Dark, QColor("#16181b")), (roles.Light, QColor("#3a3f47")),
    ):
        palette.setColor(role, colour)
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, TEXT_DIM.darker(130))
    return palette


def apply_theme(app: QApplication) -> None:
    """Fusion style with the dark palette and a readable default font size."""
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    font = QFont(app.font())
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(9.5)
    app.setFont(font)


def caption_font(base: QFont, pixel_size: int = 11) -> QFont:
    """The small bold capitals font of panel titles."""
    font = QFont(base)
    font.setPixelSize(pixel_size)
    font.setBold(True)
    font.setCapitalization(QFont.Capitalization.AllUppercase)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    return font
