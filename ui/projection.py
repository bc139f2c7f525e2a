"""Orthographic projections of a Take's landmarks onto a view: pure numpy, no Qt.

A view looks at two of the three axes of the Take's coordinate frame (+x the subject's
left, +y up, +z out of the face). The front view shows (x, y); the side view shows
(z, y), so the face looks to the right. Bounds are taken over the whole Take, not one
frame, so head motion stays visible instead of being fitted away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from realtalk_core.schema import Take

#: Axis indices of the Take's coordinate frame, by name.
AXIS_X, AXIS_Y, AXIS_Z = 0, 1, 2
#: At most this many frames, evenly spaced, are used to find a Take's bounds.
BOUNDS_SAMPLE_FRAMES = 512
#: Empty space around the face, as a fraction of its extent on each side.
BOUNDS_MARGIN = 0.06


@dataclass(frozen=True)
class ViewAxes:
    """Which axes a view shows, horizontally and vertically (both grow right / up)."""

    title: str
    horizontal: int
    vertical: int
    caption: str


FRONT = ViewAxes("Front", AXIS_X, AXIS_Y, "x · y")
SIDE = ViewAxes("Side", AXIS_Z, AXIS_Y, "z · y")


@dataclass(frozen=True)
class Bounds:
    """An axis-aligned box in the Take's frame, metres."""

    low: np.ndarray   # (3,)
    high: np.ndarray  # (3,)

    def extent(self, axis: int) -> float:
        return float(self.high[axis] - self.low[axis])

    def centre(self, axis: int) -> float:
        return float(self.high[axis] + self.low[axis]) / 2.0


@dataclass(frozen=True)
class Fit:
    """Maps view coordinates (metres, y up) to pixels (y down) with one scale for both axes."""

    scale: float       # pixels per metre
    centre_u: float    # view coordinate at the pixel centre
    centre_v: float
    pixel_x: float     # pixel centre
    pixel_y: float

    def map(self, uv: np.ndarray) -> np.ndarray:
        """(N, 2) view coordinates -> (N, 2) pixel coordinates."""
        out = np.empty_like(uv, dtype=np.float64)
        out[:, 0] = self.pixel_x + (uv[:, 0] - self.centre_u) * self.scale
        out[:, 1] = self.pixel_y - (uv[:, 1] - self.centre_v) * self.scale
        return out


def posed(landmarks: np.ndarray, head_pose: np.ndarray) -> np.ndarray:
    """Head-space landmarks (..., N, 3) moved by rigid poses (..., 4, 4) into camera space."""
    rotation = head_pose[..., :3, :3]
    translation = head_pose[..., None, :3, 3]
    return np.einsum("...ij,...nj->...ni", rotation, landmarks) + translation


def frame_points(take: Take, index: int, apply_pose: bool) -> np.ndarray:
    """(478, 3) landmarks of frame ``index`` (0-based), in head space or camera space."""
    points = take.tracks.landmarks[index]
    if apply_pose:
        return posed(points, take.tracks.head_pose[index])
    return points


def take_bounds(take: Take, apply_pose: bool, margin: float = BOUNDS_MARGIN) -> Bounds:
    """Bounds of the landmarks over (a sample of) all frames, with a margin on every side."""
    count = take.frame_count
    picks = np.unique(np.linspace(0, count - 1, min(count, BOUNDS_SAMPLE_FRAMES)).round().astype(np.int64))
    points = take.tracks.landmarks[picks]                       # (S, 478, 3)
    if apply_pose:
        points = posed(points, take.tracks.head_pose[picks])
    low = points.min(axis=(0, 1)).astype(np.float64)
    high = points.max(axis=(0, 1)).astype(np.float64)
    pad = np.maximum((high - low) * margin, 1e-4)
    return Bounds(low=low - pad, high=high + pad)


def fit_view(bounds: Bounds, axes: ViewAxes, left: float, top: float, width: float, height: float) -> Fit:
    """The largest uniform scale that shows ``bounds`` inside the pixel rectangle, centred."""
    extent_u = max(bounds.extent(axes.horizontal), 1e-9)
    extent_v = max(bounds.extent(axes.vertical), 1e-9)
    scale = max(min(width / extent_u, height / extent_v), 1e-9)
    return Fit(scale=scale, centre_u=bounds.centre(axes.horizontal), centre_v=bounds.centre(axes.vertical),
               pixel_x=left + width / 2.0, pixel_y=top + height / 2.0)


def project(points: np.ndarray, axes: ViewAxes) -> np.ndarray:
    """(N, 3) points -> (N, 2) view coordinates."""
    return points[:, [axes.horizontal, axes.vertical]]
