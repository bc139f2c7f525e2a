"""Play a Take in real time: the audio is the clock, and frames follow it.

Every tick (about 60 Hz) reads the clock and shows the frame that belongs to that instant, so a
slow redraw drops frames instead of letting the picture drift from the sound. The clock is the
``QMediaPlayer`` playing the Take's audio (:class:`AudioClock`); a Take without audio, or a
Qt without a multimedia backend, plays on a ``QElapsedTimer`` (:class:`ElapsedClock`) and says
so in :attr:`Playback.status`. Times on a clock are seconds into the audio file; frame ``f``
plays at ``offset + (f - frame_start) / fps`` (:func:`audio_seconds_at`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Protocol

from PyQt6.QtCore import QElapsedTimer, QObject, Qt, QTimer, QUrl, pyqtSignal

from realtalk_core.schema import Take, audio_path
from realtalk_ui.model import TakeModel

#: Tick interval of the playback timer, milliseconds (about 60 Hz).
TICK_MS = 16
#: Give up on the audio clock if the player has not started this long after being asked (ms).
STALL_MS = 2000
#: The player reports its position in coarse steps; between them the clock runs on for at most this long.
_MAX_EXTRAPOLATE = 0.3
#: A reported position this far behind the clock is a real jump, not jitter (seconds).
_RESYNC = 0.25
#: How a status ends when there is no sound.
SILENT = "playing on the system clock, silently"


def audio_seconds_at(frame: int, take: Take) -> float:
    """Seconds into the Take's audio file at which ``frame`` (absolute number) starts."""
    offset = take.audio.offset if take.audio is not None else 0.0
    return offset + (frame - take.frame_start) / take.fps


def frame_at(seconds: float, take: Take) -> int:
    """The absolute frame showing at ``seconds`` into the audio file (not clamped to the Take)."""
    offset = take.audio.offset if take.audio is not None else 0.0
    return take.frame_start + math.floor((seconds - offset) * take.fps + 1e-6)


class Clock(Protocol):
    """What :class:`Playback` needs from a clock; times are seconds into the audio file."""

    status: str
    failed: bool

    def start(self, seconds: float) -> None: ...
    def pause(self) -> None: ...
    def seek(self, seconds: float) -> None: ...
    def seconds(self) -> float: ...
    def close(self) -> None: ...


class ElapsedClock:
    """Wall time from a ``QElapsedTimer``, starting at any value (negative too)."""

    status, failed = "", False

    def __init__(self) -> None:
        self._timer = QElapsedTimer()
        self._base = 0.0
        self._running = False

    def start(self, seconds: float) -> None:
        self._base, self._running = float(seconds), True
        self._timer.start()

    def pause(self) -> None:
        self._base, self._running = self.seconds(), False

    def seek(self, seconds: float) -> None:
        self._base = float(seconds)
        if self._running:
            self._timer.restart()

    def seconds(self) -> float:
        return self._base + (self._timer.elapsed() / 1000.0 if self._running else 0.0)

    def close(self) -> None:
        self._running = False


def multimedia_problem() -> str | None:
    """Why QtMultimedia cannot be imported here, or None when it can (see also :attr:`AudioClock.failed`)."""
    try:
        import PyQt6.QtMultimedia  # noqa: F401
    except ImportError as err:
        return f"QtMultimedia is not installed ({err})"
    return None


class AudioClock(QObject):
    """The position of a ``QMediaPlayer`` playing ``path``, smoothed between its coarse updates.

    Before the audio begins (a negative position) and after it ends, the clock runs on wall time.
    """

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PyQt6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
        self._playing_state = QMediaPlayer.PlaybackState.PlayingState
        self._ready = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia,
                       QMediaPlayer.MediaStatus.BufferingMedia, QMediaPlayer.MediaStatus.EndOfMedia)
        self.player = QMediaPlayer(self)
        self.output = QAudioOutput(self)
        self.player.setAudioOutput(self.output)
        self.player.errorOccurred.connect(self._on_error)
        self.player.mediaStatusChanged.connect(self._on_media_status)
        #: True when the player cannot keep time (no backend, an error, or it never started).
        self.failed = not self.player.isAvailable()
        silent = "" if QMediaDevices.audioOutputs() else " (no audio output device: silent)"
        self.status = f"QtMultimedia has no media backend: {SILENT}" if self.failed \
            else f"audio clock: {path.name}{silent}"
        self._wall = ElapsedClock()
        self._waiting = QElapsedTimer()
        self._state = "paused"  # paused | wall | waiting | audio
        self._ended = False
        self._anchor = (0.0, 0.0)  # (reported position, wall seconds) of the last position change
        self._last = 0.0
        self.player.setSource(QUrl.fromLocalFile(str(path)))  # may report its status at once

    # ------------------------------------------------------------ Clock
    def start(self, seconds: float) -> None:
        self._ended = False
        self._state = "wall"
        self._wall.start(seconds)
        self._last = float(seconds)
        self.seconds()

    def pause(self) -> None:
        if self._state == "wall":
            self._last = self._wall.seconds()
        elif self._state == "audio":
            self._smoothed()
        self.player.pause()
        self._wall.pause()
        self._state = "paused"

    def seek(self, seconds: float) -> None:
        if self._state == "paused":
            self._last = float(seconds)
            return
        self.player.pause()
        self.start(seconds)

    def seconds(self) -> float:
        if self._state == "paused":
            return self._last
        if self._state == "wall":
            now = self._wall.seconds()
            if now >= 0.0 and not self._ended and not self._past_end(now):
                self._request(now)
                return now
            self._last = now
            return now
        playing = self.player.playbackState() == self._playing_state
        if self._state == "waiting":
            if not playing:
                if self._waiting.elapsed() > STALL_MS:
                    self.failed = True
                    self.status = f"the audio did not start: {SILENT}"
                return self._last
            self._state, self._anchor = "audio", (self._position(), self._wall.seconds())
        if not playing:  # the audio ended: continue on wall time from where it was
            self._ended, self._state = True, "wall"
            self._wall.start(self._last)
            return self._last
        return self._smoothed()

    def close(self) -> None:
        self.player.stop()
        self._state = "paused"

    # ------------------------------------------------------------ internals
    def _position(self) -> float:
        return self.player.position() / 1000.0

    def _past_end(self, seconds: float) -> bool:
        duration = self.player.duration()
        return duration > 0 and seconds * 1000.0 >= duration

    def _request(self, seconds: float) -> None:
        """Ask the player to play from ``seconds``; the clock holds there until it does."""
        self._state, self._last = "waiting", seconds
        self._waiting.start()
        if self.player.mediaStatus() in self._ready:
            self.player.setPosition(round(seconds * 1000.0))
            self.player.play()

    def _smoothed(self) -> float:
        position, wall = self._position(), self._wall.seconds()
        if position != self._anchor[0]:
            self._anchor = (position, wall)
        estimate = self._anchor[0] + min(wall - self._anchor[1], _MAX_EXTRAPOLATE)
        if estimate >= self._last or estimate < self._last - _RESYNC:
            self._last = estimate
        return self._last  # holds while a late report catches up with the extrapolation

    def _on_media_status(self, status) -> None:
        if self._state == "waiting" and status in self._ready and \
                self.player.playbackState() != self._playing_state:
            self.player.setPosition(round(self._last * 1000.0))
            self.player.play()

    def _on_error(self, error, message: str) -> None:
        self.failed = True
        self.status = f"audio error ({message or error}): {SILENT}"


class Playback(QObject):
    """Play, pause and scrub a :class:`TakeModel` against the audio clock."""

    #: Playing started (True) or stopped (False).
    playingChanged = pyqtSignal(bool)
    #: :attr:`status` changed.
    statusChanged = pyqtSignal(str)

    def __init__(self, model: TakeModel, parent: QObject | None = None, *, clock: Clock | None = None,
                 use_audio: bool = True, interval_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        self.model = model
        self._fixed_clock = clock
        self._use_audio = use_audio
        self._clock: Clock = clock if clock is not None else ElapsedClock()
        self._playing = False
        self._ticking = False
        self._status = ""
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)
        model.takeChanged.connect(self._on_take)
        model.frameChanged.connect(self._on_frame)
        self._on_take()

    @property
    def is_playing(self) -> bool:
        return self._playing

    @property
    def status(self) -> str:
        """How playback keeps time, e.g. ``audio clock: speech.wav`` or why there is no sound."""
        return self._status

    @property
    def clock(self) -> Clock:
        return self._clock

    def play(self) -> None:
        """Play from the current frame (from the first if at the last)."""
        take = self.model.take
        if take is None or self._playing:
            return
        if self.model.frame >= self.model.last_frame:
            self.model.go_first()
        self._clock.start(audio_seconds_at(self.model.frame, take))
        self._set_playing(True)
        self._timer.start()

    def pause(self) -> None:
        if not self._playing:
            return
        self._timer.stop()
        self._clock.pause()
        self._set_playing(False)

    def toggle(self) -> None:
        self.pause() if self._playing else self.play()

    def tick(self) -> None:
        """Show the frame of the clock's present instant (skipping any in between); stop after the last."""
        take = self.model.take
        if not self._playing or take is None:
            return
        if self._clock.failed:
            self._replace_clock(ElapsedClock(), self._clock.status)
            self._clock.start(audio_seconds_at(self.model.frame, take))
        frame = max(frame_at(self._clock.seconds(), take), self.model.first_frame)
        self._ticking = True
        try:
            self.model.set_frame(frame)  # clamped to the last frame
        finally:
            self._ticking = False
        if frame > self.model.last_frame:  # the last frame has had its full duration
            self.pause()

    # ------------------------------------------------------------ internals
    def _set_playing(self, playing: bool) -> None:
        self._playing = playing
        self.playingChanged.emit(playing)

    def _set_status(self, status: str) -> None:
        if status != self._status:
            self._status = status
            self.statusChanged.emit(status)

    def _replace_clock(self, clock: Clock, status: str) -> None:
        if clock is not self._clock:
            self._clock.close()
            if isinstance(self._clock, QObject):
                self._clock.deleteLater()
        self._clock = clock
        self._set_status(status)

    def _on_take(self) -> None:
        self.pause()
        take, path = self.model.take, self.model.path
        if self._fixed_clock is not None:
            self._replace_clock(self._fixed_clock, getattr(self._fixed_clock, "status", ""))
        elif take is None:
            self._replace_clock(ElapsedClock(), "no take")
        elif take.audio is None or path is None:
            self._replace_clock(ElapsedClock(), f"no audio in this take: {SILENT}")
        elif not self._use_audio:
            self._replace_clock(ElapsedClock(), f"audio off: {SILENT}")
        elif (problem := multimedia_problem()) is not None:
            self._replace_clock(ElapsedClock(), f"{problem}: {SILENT}")
        else:
            clock = AudioClock(audio_path(path, take.audio), self)
            if clock.failed:
                self._replace_clock(ElapsedClock(), clock.status)
                clock.close()
                clock.deleteLater()
            else:
                self._replace_clock(clock, clock.status)

    def _on_frame(self, frame: int) -> None:
        take = self.model.take
        if self._playing and not self._ticking and take is not None:
            self._clock.seek(audio_seconds_at(frame, take))  # scrubbing while playing moves the sound too
