"""The previewer's state: the open Take and the current frame. No widgets.

Frame numbers are absolute, as in Blender: the first frame is the Take's ``frame_start``.
Every view reads from this model and redraws when it signals; nothing else holds state.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PyQt6.QtCore import QObject, pyqtSignal

from realtalk_core.schema import Take, load_take


class TakeModel(QObject):
    """The current Take (or none) and the current frame number, with change signals."""

    #: A Take was opened (also emitted once with the new frame's data ready).
    takeChanged = pyqtSignal()
    #: The current frame number changed (absolute, frame_start-based).
    frameChanged = pyqtSignal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._take: Take | None = None
        self._path: Path | None = None
        self._index = 0

    # ------------------------------------------------------------ the take
    @property
    def take(self) -> Take | None:
        return self._take

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def has_take(self) -> bool:
        return self._take is not None

    @property
    def name(self) -> str:
        """The Take folder's name, or an empty string when none is open."""
        return self._path.name if self._path is not None else ""

    def load(self, take_dir: str | os.PathLike[str]) -> None:
        """Load and validate a Take folder, then make it current.

        Raises :class:`~realtalk_core.schema.TakeError`; on error the model is unchanged.
        """
        path = Path(take_dir).expanduser().resolve()
        take = load_take(path)
        self.set_take(take, path)

    def set_take(self, take: Take, path: str | os.PathLike[str] | None = None) -> None:
        """Make an already loaded Take current, starting at its first frame."""
        self._take = take
        self._path = Path(path) if path is not None else None
        self._index = 0
        self.takeChanged.emit()
        self.frameChanged.emit(self.frame)

    # ------------------------------------------------------------- frames
    @property
    def first_frame(self) -> int:
        return self._take.frame_start if self._take is not None else 0

    @property
    def last_frame(self) -> int:
        return self._take.frame_start + self._take.frame_count - 1 if self._take is not None else 0

    @property
    def frame(self) -> int:
        """The current absolute frame number."""
        return self.first_frame + self._index

    @property
    def index(self) -> int:
        """The current frame as a row of the Take's tracks (0-based)."""
        return self._index

    def clamp(self, frame: int) -> int:
        return min(max(int(frame), self.first_frame), self.last_frame)

    def set_frame(self, frame: int) -> int:
        """Go to ``frame`` (clamped into the Take's range); returns the frame now current."""
        if self._take is None:
            return self.frame
        index = self.clamp(frame) - self.first_frame
        if index != self._index:
            self._index = index
            self.frameChanged.emit(self.frame)
        return self.frame

    def step(self, frames: int) -> int:
        return self.set_frame(self.frame + frames)

    def step_seconds(self, seconds: float) -> int:
        """Move by a whole number of frames closest to ``seconds`` (at least one)."""
        frames = round(seconds * self.fps) if self._take is not None else 0
        if frames == 0 and seconds:
            frames = 1 if seconds > 0 else -1
        return self.step(frames)

    def go_first(self) -> int:
        return self.set_frame(self.first_frame)

    def go_last(self) -> int:
        return self.set_frame(self.last_frame)

    # --------------------------------------------------------------- time
    @property
    def fps(self) -> float:
        return self._take.fps if self._take is not None else 0.0

    @property
    def duration(self) -> float:
        return self._take.duration if self._take is not None else 0.0

    def time_of(self, frame: int) -> float:
        """Seconds from the Take's first frame to the start of ``frame``."""
        if self._take is None:
            return 0.0
        return (frame - self.first_frame) / self._take.fps

    @property
    def time(self) -> float:
        return self.time_of(self.frame)

    # ------------------------------------------------ current frame's data
    def _row(self, track: str) -> np.ndarray:
        if self._take is None:
            raise RuntimeError("no take is open")
        return getattr(self._take.tracks, track)[self._index]

    def landmarks(self) -> np.ndarray:
        """(478, 3) metres, head space."""
        return self._row("landmarks")

    def blendshapes(self) -> np.ndarray:
        """(52,) in ARKIT_BLENDSHAPE_NAMES order."""
        return self._row("blendshapes")

    def emotion(self) -> np.ndarray:
        """(8,) in EMOTION_NAMES order."""
        return self._row("emotion")

    def head_pose(self) -> np.ndarray:
        """(4, 4) head space -> camera space."""
        return self._row("head_pose")


def format_time(seconds: float) -> str:
    """``m:ss.cc`` (or ``h:mm:ss.cc`` from one hour on), rounded down to hundredths."""
    hundredths = int(max(seconds, 0.0) * 100 + 1e-6)
    whole, cents = divmod(hundredths, 100)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}.{cents:02d}"
    return f"{minutes}:{secs:02d}.{cents:02d}"
