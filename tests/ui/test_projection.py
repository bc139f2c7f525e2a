"""Orthographic projection helpers of the landmark views: pure numpy."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.schema import Take, Tracks, load_take
from realtalk_ui.projection import (AXIS_X, AXIS_Y, AXIS_Z, FRONT, SIDE, fit_view, frame_points, posed, project,
                                    take_bounds)


def _yaw(degrees: float, translation=(0.0, 0.0, -0.6)) -> np.ndarray:
    angle = np.radians(degrees)
    pose = np.eye(4, dtype=np.float32)
    pose[[0, 0, 2, 2], [0, 2, 0, 2]] = [np.cos(angle), np.sin(angle), -np.sin(angle), np.cos(angle)]
    pose[:3, 3] = translation
    return pose


def test_posed_rotates_then_translates():
    points = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], np.float32)
    moved = posed(points, _yaw(90.0))
    assert moved == pytest.approx(np.array([[0.0, 0.0, -1.6], [0.0, 1.0, -0.6]]), abs=1e-6)
    batch = posed(np.stack([points, points]), np.stack([np.eye(4, dtype=np.float32), _yaw(90.0)]))
    assert batch.shape == (2, 2, 3) and batch[0] == pytest.approx(points) and batch[1] == pytest.approx(moved, abs=1e-6)


def test_views_name_their_axes():
    assert (FRONT.horizontal, FRONT.vertical) == (AXIS_X, AXIS_Y)
    assert (SIDE.horizontal, SIDE.vertical) == (AXIS_Z, AXIS_Y)
    points = np.array([[1.0, 2.0, 3.0]])
    assert project(points, FRONT).tolist() == [[1.0, 2.0]] and project(points, SIDE).tolist() == [[3.0, 2.0]]


def test_bounds_cover_every_frame_with_or_without_pose(canonical_landmarks):
    tracks = Tracks.neutral(5, canonical_landmarks)
    tracks.head_pose[:] = [_yaw(d) for d in (-20, -10, 0, 10, 20)]
    take = Take(fps=25.0, tracks=tracks)
    for apply_pose in (False, True):
        bounds = take_bounds(take, apply_pose)
        every = np.concatenate([frame_points(take, i, apply_pose) for i in range(5)])
        assert (every >= bounds.low).all() and (every <= bounds.high).all()
    still, moving = take_bounds(take, False), take_bounds(take, True)
    assert moving.extent(AXIS_X) > still.extent(AXIS_X)          # the turning head sweeps wider
    depth = canonical_landmarks[:, 2]
    assert still.centre(AXIS_Z) == pytest.approx((depth.min() + depth.max()) / 2, abs=1e-3)
    assert moving.centre(AXIS_Z) < -0.5                          # camera space: in front of the camera


def test_fit_keeps_aspect_and_flips_y(moving_take):
    bounds = take_bounds(load_take(moving_take), apply_pose=False)
    for width, height in ((200, 800), (800, 200), (300, 300)):
        fit = fit_view(bounds, FRONT, 10, 20, width, height)
        corners = fit.map(np.array([[bounds.low[0], bounds.low[1]], [bounds.high[0], bounds.high[1]]]))
        (left, bottom), (right, top) = corners
        assert right - left == pytest.approx(bounds.extent(AXIS_X) * fit.scale)
        assert bottom - top == pytest.approx(bounds.extent(AXIS_Y) * fit.scale)   # +y up is pixel up
        assert 10 - 1e-6 <= left and right <= 10 + width + 1e-6 and 20 - 1e-6 <= top and bottom <= 20 + height + 1e-6
        assert right - left == pytest.approx(width) or bottom - top == pytest.approx(height)   # fills one side
        assert (left + right) / 2 == pytest.approx(10 + width / 2)
        assert (top + bottom) / 2 == pytest.approx(20 + height / 2)
