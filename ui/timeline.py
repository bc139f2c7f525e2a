"""The timeline: a frame scrubber with the current frame number and time.

The slider's values are absolute frame numbers (from the Take's ``frame_start``), so the
slider and the model never need converting between each other.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QFont, QFontMetrics
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from .model import TakeModel, format_time


def frame_text(model: TakeModel) -> str:
    return f"Frame {model.frame} / {model.last_frame}" if model.has_take else "Frame –"


def time_text(model: TakeModel) -> str:
    if not model.has_take:
        return "–:–– / –:––"
    return f"{format_time(model.time)} / {format_time(model.duration)}"


class Timeline(QWidget):
    """Scrubber + labels bound to a :class:`TakeModel`."""

    def __init__(self, model: TakeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("scrubber")
        self.slider.setToolTip("Scrub through the take (←/→ one frame, Shift+←/→ one second, Home/End)")
        self.frame_label = QLabel()
        self.frame_label.setObjectName("frameLabel")
        self.time_label = QLabel()
        self.time_label.setObjectName("timeLabel")
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for label in (self.frame_label, self.time_label):
            font = QFont(label.font())
            font.setFeature(QFont.Tag("tnum"), 1)   # tabular digits: the labels do not jitter
            label.setFont(font)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.setSpacing(12)
        layout.addWidget(self.frame_label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.time_label)

        self.slider.valueChanged.connect(model.set_frame)
        model.takeChanged.connect(self._on_take_changed)
        model.frameChanged.connect(self._on_frame_changed)
        self._on_take_changed()

    def _on_take_changed(self) -> None:
        model = self._model
        self.slider.blockSignals(True)
        self.slider.setRange(model.first_frame, model.last_frame)
        self.slider.setPageStep(max(1, round(model.fps)) if model.has_take else 1)
        self.slider.setValue(model.frame)
        self.slider.blockSignals(False)
        self.slider.setEnabled(model.has_take)
        # Room for the widest text this take can show, so the slider does not resize while scrubbing.
        metrics = QFontMetrics(self.frame_label.font())
        widest_frame = max((f"Frame {f} / {model.last_frame}" for f in (model.first_frame, model.last_frame)),
                           key=metrics.horizontalAdvance)
        self.frame_label.setMinimumWidth(metrics.horizontalAdvance(widest_frame) + 4)
        widest_time = time_text(model)
        self.time_label.setMinimumWidth(metrics.horizontalAdvance(widest_time) + 4)
        self._on_frame_changed(model.frame)

    def _on_frame_changed(self, frame: int) -> None:
        if self.slider.value() != frame:
            self.slider.setValue(frame)
        self.frame_label.setText(frame_text(self._model))
        self.time_label.setText(time_text(self._model))
