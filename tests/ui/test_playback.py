"""Playback: frames follow the (audio) clock, dropping rather than drifting, and stop at the end."""

from __future__ import annotations

from dataclasses import replace

import pytest

from realtalk_ui.model import TakeModel
from realtalk_ui.playback import SILENT, AudioClock, ElapsedClock, Playback, audio_seconds_at, frame_at

MOVING_START, MOVING_FRAMES = 20, 10   # see moving_take in conftest.py
LAST = MOVING_START + MOVING_FRAMES - 1


class FakeClock:
    """A clock the test sets by hand; it records what Playback asked of it."""

    def __init__(self) -> None:
        self.status, self.failed = "fake clock", False
        self.now = 0.0
        self.started: list[float] = []
        self.seeks: list[float] = []
        self.pauses = 0

    def start(self, seconds: float) -> None:
        self.started.append(seconds)
        self.now = seconds

    def pause(self) -> None:
        self.pauses += 1

    def seek(self, seconds: float) -> None:
        self.seeks.append(seconds)
        self.now = seconds

    def seconds(self) -> float:
        return self.now

    def close(self) -> None:
        pass


@pytest.fixture
def model(moving_take) -> TakeModel:
    model = TakeModel()
    model.load(moving_take)
    return model


@pytest.fixture
def fake(model, qtbot):
    clock = FakeClock()
    playback = Playback(model, clock=clock)
    yield clock, playback
    playback.pause()


def middle_of(frame: int, take) -> float:
    return audio_seconds_at(frame, take) + 0.5 / take.fps


# ------------------------------------------------------------------ the mapping
def test_mapping_honours_frame_start_and_the_audio_offset(model):
    take = replace(model.take, audio=replace(model.take.audio, offset=1.5))
    assert audio_seconds_at(MOVING_START, take) == pytest.approx(1.5)
    assert audio_seconds_at(MOVING_START + 5, take) == pytest.approx(1.7)
    assert frame_at(1.5, take) == MOVING_START and frame_at(1.7, take) == MOVING_START + 5
    assert frame_at(1.699, take) == MOVING_START + 4 and frame_at(1.46, take) == MOVING_START - 1
    silent = replace(take, audio=None)
    assert audio_seconds_at(MOVING_START, silent) == 0.0 and frame_at(0.2, silent) == MOVING_START + 5
    late = replace(take, audio=replace(take.audio, offset=-0.5))  # the audio starts 0.5 s into the take
    assert frame_at(0.0, late) == MOVING_START + 12 and audio_seconds_at(MOVING_START, late) == -0.5


@pytest.mark.parametrize("fps", [24.0, 25.0, 29.97, 30.0, 60.0])
def test_mapping_round_trips_at_any_frame_rate(model, fps):
    take = replace(model.take, fps=fps, audio=replace(model.take.audio, offset=0.37))
    for frame in range(MOVING_START, MOVING_START + 400):
        start = audio_seconds_at(frame, take)
        assert frame_at(start, take) == frame
        assert frame_at(start + 0.99 / fps, take) == frame


# ------------------------------------------------------------ with a fake clock
def test_frames_follow_the_clock_and_skip_instead_of_drifting(model, fake):
    clock, playback = fake
    shown: list[int] = []
    model.frameChanged.connect(shown.append)
    playback.play()
    assert playback.is_playing and clock.started == [pytest.approx(audio_seconds_at(MOVING_START, model.take))]
    clock.now = middle_of(MOVING_START + 3, model.take)  # a slow frame: the clock moved on by three frames
    playback.tick()
    assert model.frame == MOVING_START + 3 and shown == [MOVING_START + 3]  # 21 and 22 dropped, not queued
    clock.now = audio_seconds_at(MOVING_START + 4, model.take) - 0.001
    playback.tick()
    assert shown == [MOVING_START + 3]
    assert clock.seeks == [], "frames set by the clock must not seek the clock"


def test_the_timer_ticks_while_playing(model, fake, qtbot):
    clock, playback = fake
    playback.play()
    clock.now = middle_of(MOVING_START + 7, model.take)
    qtbot.waitUntil(lambda: model.frame == MOVING_START + 7, timeout=5000)
    playback.pause()
    clock.now = middle_of(MOVING_START + 8, model.take)
    playback.tick()
    assert model.frame == MOVING_START + 7 and not playback.is_playing and clock.pauses == 1


def test_it_shows_the_last_frame_for_its_duration_then_stops(model, fake, qtbot):
    clock, playback = fake
    playback.play()
    clock.now = middle_of(LAST, model.take)
    playback.tick()
    assert model.frame == LAST and playback.is_playing
    with qtbot.waitSignal(playback.playingChanged, timeout=1000) as stopped:
        clock.now = audio_seconds_at(LAST + 3, model.take)
        playback.tick()
    assert stopped.args == [False] and model.frame == LAST and clock.pauses == 1
    playback.play()  # from the end, play starts over
    assert model.frame == MOVING_START
    assert clock.started[-1] == pytest.approx(audio_seconds_at(MOVING_START, model.take))


def test_scrubbing_while_playing_seeks_the_clock(model, fake):
    clock, playback = fake
    playback.play()
    model.set_frame(MOVING_START + 6)
    assert clock.seeks == [pytest.approx(audio_seconds_at(MOVING_START + 6, model.take))]
    clock.now += 0.5 / model.fps
    playback.tick()
    assert model.frame == MOVING_START + 6
    playback.pause()
    model.set_frame(MOVING_START + 2)
    assert len(clock.seeks) == 1, "a paused playback does not seek"


def test_a_failing_clock_is_replaced_by_the_system_clock(model, fake, qtbot):
    clock, playback = fake
    playback.play()
    clock.failed, clock.status = True, f"audio error (test): {SILENT}"
    with qtbot.waitSignal(playback.statusChanged, timeout=1000):
        playback.tick()
    assert isinstance(playback.clock, ElapsedClock) and playback.status.startswith("audio error (test)")
    assert playback.is_playing
    qtbot.waitUntil(lambda: model.frame > MOVING_START, timeout=5000)


# ------------------------------------------------------------- real clocks
def test_a_take_without_audio_plays_to_the_end_on_the_system_clock(make_take, qtbot):
    model = TakeModel()
    model.load(make_take(name="silent", frames=8, audio=False, frame_start=3))
    playback = Playback(model)
    assert isinstance(playback.clock, ElapsedClock) and "no audio" in playback.status
    shown: list[int] = []
    model.frameChanged.connect(shown.append)
    playback.play()
    qtbot.waitUntil(lambda: not playback.is_playing, timeout=10_000)
    assert model.frame == model.last_frame == 10
    assert shown and shown[-1] == 10 and shown == sorted(set(shown))


def test_elapsed_clock_starts_anywhere_and_holds_when_paused(qtbot):
    clock = ElapsedClock()
    clock.start(-0.5)
    assert -0.5 <= clock.seconds() < 0.0
    qtbot.waitUntil(lambda: clock.seconds() > -0.45, timeout=5000)
    clock.pause()
    held = clock.seconds()
    assert clock.seconds() == held and held > -0.45
    clock.seek(2.0)
    assert clock.seconds() == 2.0


def test_real_audio_drives_the_frames_and_scrubbing_seeks_it(make_take, qtbot):
    model = TakeModel()
    model.load(make_take(name="voiced", frames=25))  # 1 s of a 220 Hz tone
    playback = Playback(model)
    if not isinstance(playback.clock, AudioClock):
        pytest.skip(f"QtMultimedia cannot play audio in this environment: {playback.status}")
    from PyQt6.QtMultimedia import QMediaPlayer
    player = playback.clock.player
    assert playback.status.startswith("audio clock: ")
    playback.play()
    qtbot.waitUntil(lambda: model.frame >= 4, timeout=10_000)
    assert player.playbackState() == QMediaPlayer.PlaybackState.PlayingState and not playback.clock.failed
    model.set_frame(15)  # scrub while playing
    qtbot.waitUntil(lambda: player.position() >= 550, timeout=10_000)
    assert model.frame >= 15
    qtbot.waitUntil(lambda: not playback.is_playing, timeout=10_000)
    assert model.frame == model.last_frame and isinstance(playback.clock, AudioClock)
