"""TakeModel and format_time without any widget (no QApplication either)."""

from __future__ import annotations

import pytest

from realtalk_core.schema import EMOTION_NAMES, TakeError, load_take
from realtalk_ui.model import TakeModel, format_time

MOVING_START, MOVING_FRAMES = 20, 10   # see moving_take in conftest.py
LAST = MOVING_START + MOVING_FRAMES - 1


@pytest.fixture
def model(moving_take) -> TakeModel:
    model = TakeModel()
    model.load(moving_take)
    return model


def test_empty_model_has_no_frames_to_move():
    model = TakeModel()
    seen = []
    model.frameChanged.connect(seen.append)
    assert not model.has_take and model.name == "" and model.path is None
    assert model.set_frame(5) == 0 and model.step(3) == 0 and model.time == 0.0
    assert seen == []
    with pytest.raises(RuntimeError):
        model.landmarks()


def test_load_starts_at_frame_start_and_signals(moving_take):
    model = TakeModel()
    events = []
    model.takeChanged.connect(lambda: events.append("take"))
    model.frameChanged.connect(lambda frame: events.append(frame))
    model.load(moving_take)
    assert events == ["take", MOVING_START]
    assert model.path == moving_take.resolve() and model.name == "moving"
    assert (model.first_frame, model.last_frame, model.frame, model.index) == (MOVING_START, LAST, MOVING_START, 0)


def test_frames_clamp_to_the_take(model):
    seen = []
    model.frameChanged.connect(seen.append)
    assert model.set_frame(25) == 25 and model.index == 5
    assert model.set_frame(1000) == LAST
    assert model.set_frame(-5) == MOVING_START
    assert model.set_frame(MOVING_START) == MOVING_START      # no change, no signal
    assert model.step(3) == 23 and model.step(-100) == MOVING_START
    assert model.go_last() == LAST and model.go_first() == MOVING_START
    assert seen == [25, LAST, MOVING_START, 23, MOVING_START, LAST, MOVING_START]


def test_step_seconds_moves_whole_seconds_of_frames(model):
    assert model.fps == 25.0
    assert model.step_seconds(1.0) == LAST                    # 25 frames, clamped to the 10-frame take
    assert model.step_seconds(-0.1) == LAST - 2               # 2.5 frames rounds to 2
    assert model.step_seconds(-0.001) == LAST - 3             # less than a frame still moves one


def test_frame_to_time(model):
    assert model.time_of(MOVING_START) == 0.0
    assert model.time_of(25) == pytest.approx(0.2)
    model.set_frame(LAST)
    assert model.time == pytest.approx((MOVING_FRAMES - 1) / 25) and model.duration == pytest.approx(0.4)


def test_current_frame_data_follows_the_frame(model, moving_take):
    take = load_take(moving_take)
    model.set_frame(LAST)
    assert model.landmarks().shape == (478, 3) and model.head_pose().shape == (4, 4)
    assert (model.landmarks() == take.tracks.landmarks[-1]).all()
    assert model.blendshapes()[17] == pytest.approx(1.0)      # jawOpen at the end of the ramp
    assert model.emotion()[EMOTION_NAMES.index("happy")] == pytest.approx(0.8)


@pytest.mark.parametrize("which", ["no_header", "corrupt"])
def test_bad_take_raises_and_leaves_the_model_unchanged(model, moving_take, bad_takes, which):
    model.set_frame(24)
    events = []
    model.takeChanged.connect(lambda: events.append("take"))
    model.frameChanged.connect(events.append)
    with pytest.raises(TakeError) as caught:
        model.load(bad_takes[which])
    assert "\n" not in str(caught.value) and str(bad_takes[which]) in str(caught.value)
    assert model.path == moving_take.resolve() and model.frame == 24 and events == []


@pytest.mark.parametrize("seconds, text", [
    (0.0, "0:00.00"), (0.48, "0:00.48"), (0.29, "0:00.29"), (11.32, "0:11.32"), (61.5, "1:01.50"),
    (3725.25, "1:02:05.25"), (-3.0, "0:00.00"),
])
def test_format_time(seconds, text):
    assert format_time(seconds) == text
