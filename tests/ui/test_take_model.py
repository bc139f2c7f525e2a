"""The previewer's TakeModel, without any widget."""

from __future__ import annotations

import pytest

from realtalk_core.schema import TakeError
from realtalk_ui.model import TakeModel, format_time


def test_frames_clamp_and_map_to_time(qapp, moving_take):
    model = TakeModel()
    frames = []
    model.frameChanged.connect(frames.append)
    model.load(moving_take)
    assert (model.first_frame, model.last_frame, model.frame) == (20, 29, 20)
    assert model.set_frame(25) == 25 and model.time == pytest.approx(5 / 25)
    assert model.set_frame(1000) == 29 and model.set_frame(-5) == 20
    assert model.step(3) == 23 and model.go_last() == 29 and model.go_first() == 20
    assert model.blendshapes().shape == (52,) and model.landmarks().shape == (478, 3)
    assert frames[0] == 20 and 25 in frames


def test_bad_take_leaves_the_model_unchanged(qapp, moving_take, tmp_path):
    model = TakeModel()
    model.load(moving_take)
    model.set_frame(24)
    with pytest.raises(TakeError):
        model.load(tmp_path / "missing")
    assert model.path == moving_take.resolve() and model.frame == 24


def test_format_time():
    assert format_time(0) == "0:00.00" or format_time(0).startswith("0:00")
    assert format_time(61.5) != format_time(1.5)
