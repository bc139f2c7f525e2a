"""A landmark view on its own: it scales with its size, keeps aspect, and follows the pose toggle."""

from __future__ import annotations

import numpy as np
from PyQt6.QtGui import QImage

from realtalk_ui import theme
from realtalk_ui.landmark_view import LandmarkView
from realtalk_ui.model import TakeModel
from realtalk_ui.projection import FRONT, SIDE


def lip_box(view: LandmarkView, width: int, height: int) -> np.ndarray:
    """(width, height) in pixels of what the view paints in the outer-lip colour at this size."""
    view.resize(width, height)
    image = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits().asstring(image.sizeInBytes()), np.uint8)
    rgb = data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, :image.width(), 2::-1].astype(int)
    lips = theme.LANDMARK_COLOURS["lips_outer"]
    close = np.abs(rgb - [lips.red(), lips.green(), lips.blue()]).sum(axis=2) < 40
    rows, cols = np.nonzero(close)
    assert rows.size > 20, "no lips painted"
    return np.array([cols.max() - cols.min(), rows.max() - rows.min()], float)


def test_view_scales_with_its_size_and_keeps_aspect(qtbot, moving_take):
    model = TakeModel()
    model.load(moving_take)
    view = LandmarkView(model, FRONT)
    qtbot.addWidget(view)
    small, large = lip_box(view, 300, 400), lip_box(view, 600, 800)
    ratio = large / small
    assert 1.9 < ratio[0] < 2.25, ratio                  # twice the size (less the fixed panel margins)
    assert abs(ratio[0] - ratio[1]) < 0.06, ratio         # the same in x and y: aspect kept
    tall = lip_box(view, 300, 900)                       # width limits both: the same drawing
    assert np.allclose(tall, small, atol=2), (tall, small)


def test_pose_toggle_changes_what_the_side_view_fits(qtbot, moving_take):
    model = TakeModel()
    model.load(moving_take)
    view = LandmarkView(model, SIDE)
    qtbot.addWidget(view)
    assert view.apply_pose and view.bounds().centre(SIDE.horizontal) < -0.5        # camera space, 0.6 m away
    view.set_apply_pose(False)
    assert not view.apply_pose and abs(view.bounds().centre(SIDE.horizontal)) < 0.1  # head space


def test_empty_view_paints_a_placeholder(qtbot):
    view = LandmarkView(TakeModel(), FRONT)
    qtbot.addWidget(view)
    view.resize(200, 200)
    assert view.bounds() is None and not view.grab().isNull()
