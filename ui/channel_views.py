"""The blendshape and emotion panels: bar views over the schema's named channels."""

from __future__ import annotations

import numpy as np
from PyQt6.QtWidgets import QWidget

from realtalk_core.schema import BLENDSHAPE_GROUPS, EMOTION_NAMES, blendshape_index, emotion_index

from . import theme
from .bars_view import BarSection, BarStyle, BarsView
from .model import TakeModel


def blendshape_sections() -> list[BarSection]:
    """One section per BLENDSHAPE_GROUPS group, in the schema's order, coloured by group."""
    sections = []
    for group, names in BLENDSHAPE_GROUPS.items():
        colour = theme.BLENDSHAPE_COLOURS[group]
        sections.append(BarSection(title=group, labels=tuple(names),
                                   columns=tuple(int(i) for i in blendshape_index(names)),
                                   colours=(colour,) * len(names)))
    return sections


def emotion_sections() -> list[BarSection]:
    """The 8 emotions, in EMOTION_NAMES order, each in its own colour."""
    return [BarSection(title=None, labels=EMOTION_NAMES,
                       columns=tuple(int(i) for i in emotion_index(EMOTION_NAMES)),
                       colours=tuple(theme.EMOTION_COLOURS[name] for name in EMOTION_NAMES))]


def _active_blendshapes(model: TakeModel) -> str:
    active = int((model.blendshapes() > 0.01).sum())
    return f"52 ARKit · {active} active"


def _dominant_emotion(model: TakeModel) -> str:
    weights = model.emotion()
    top = int(np.argmax(weights))
    return f"{EMOTION_NAMES[top]} {weights[top]:.0%}"


#: Two short columns of four emotions under the face views.
EMOTION_STYLE = BarStyle(min_row=15.0, max_row=20.0, min_column_width=190.0, column_gap=28.0, max_columns=2)


class BlendshapeBars(BarsView):
    """52 blendshape weights of the current frame, grouped and flowed into columns."""

    def __init__(self, model: TakeModel, parent: QWidget | None = None) -> None:
        super().__init__(model, "Blendshapes", blendshape_sections(), TakeModel.blendshapes,
                         value_text=lambda v: f"{v:.2f}", subtitle=_active_blendshapes, parent=parent)


class EmotionBars(BarsView):
    """The 8 emotion weights of the current frame."""

    def __init__(self, model: TakeModel, parent: QWidget | None = None) -> None:
        super().__init__(model, "Emotion", emotion_sections(), TakeModel.emotion,
                         value_text=lambda v: f"{v:.0%}", subtitle=_dominant_emotion,
                         style=EMOTION_STYLE, parent=parent)
