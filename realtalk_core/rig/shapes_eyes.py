"""Eye shapes of the subject's LEFT eye (+x): blink, squint, wide, and the four gaze directions.

Lids: the eye contour split into an upper and a lower arc (``regions.eye_left``).
Moves are given at the arcs and spread over the surrounding skin by harmonic
extension (the eye opening is cut out of the mesh, so the lids move independently).
Gaze: the iris points rotate about the eyeball centre, ``eyeball_radius_m`` behind
the iris centre; the rig uses the rotation's first-order term. The lids follow the
gaze a little.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .contours import closing_deltas, gap_profile
from .regions import FaceRegions

X, Y = np.eye(3)[0], np.eye(3)[1]


@dataclass(frozen=True)
class EyeShapeConfig:
    """Magnitudes of the eye shapes at weight 1."""

    blink_upper_share: float = 0.8
    """eyeBlink: share of the lid gap closed by the upper lid (the lower lid closes the rest)."""
    squint_upper: float = 0.12
    """eyeSquint: share of the gap the upper lid comes down."""
    squint_lower: float = 0.35
    """eyeSquint: share of the gap the lower lid comes up."""
    wide_upper: float = 0.4
    """eyeWide: the upper lid rises by this share of the gap."""
    wide_lower: float = 0.06
    """eyeWide: the lower lid drops by this share of the gap."""
    eyeball_radius_m: float = 0.012
    """Distance from the eyeball's rotation centre to the iris centre."""
    look_horizontal_deg: float = 25.0
    """eyeLookIn / eyeLookOut rotation."""
    look_vertical_deg: float = 20.0
    """eyeLookUp / eyeLookDown rotation."""
    lid_reach_m: float = 0.022
    """Lid moves fade to zero this far from the eye contour."""


def _lid_arch(regions: FaceRegions, arc: np.ndarray) -> np.ndarray:
    """(K,) 0 at the eye corners, 1 mid-lid: how much a lid point follows the eyeball."""
    xs = regions.points[arc, 0]
    t = (xs - xs.min()) / np.ptp(xs)
    return np.sin(np.pi * t)


def _lids(regions: FaceRegions, upper_moves: np.ndarray, lower_moves: np.ndarray, reach: float,
          iris_moves: np.ndarray | None = None, pin_brow: bool = True,
          outer_corner_move: np.ndarray | None = None) -> np.ndarray:
    """(478, 3) field from moves of the upper arc (U, 3), lower arc (L, 3) and optionally the iris (5, 3).

    The arcs share the corners; the corners take ``upper_moves`` there, except the outer
    (+x) corner when ``outer_corner_move`` (3,) is given.
    """
    eye = regions.eye_left
    upper_moves = np.array(upper_moves, dtype=np.float64)
    if outer_corner_move is not None:
        upper_moves[eye.upper == eye.corners[1]] = outer_corner_move
    inside_lower = ~np.isin(eye.lower, eye.corners)
    handles = [eye.upper, eye.lower[inside_lower]]
    moves = [upper_moves, lower_moves[inside_lower]]
    if iris_moves is not None:
        handles.append(regions.iris_left)
        moves.append(iris_moves)
    return regions.extend(np.concatenate(handles), np.concatenate(moves), reach,
                          pinned=regions.brow_left if pin_brow else None)


def _gaze(regions: FaceRegions, config: EyeShapeConfig, rotvec: np.ndarray,
          upper_follow: float, lower_follow: float) -> np.ndarray:
    """Iris rotation by ``rotvec`` (3,) about the eyeball centre; the lids follow the iris centre."""
    iris = regions.points[regions.iris_left]                               # (5, 3)
    centre = iris[0] - np.array([0.0, 0.0, config.eyeball_radius_m])
    iris_moves = np.cross(rotvec, iris - centre)                           # (5, 3)
    eye = regions.eye_left
    upper = upper_follow * _lid_arch(regions, eye.upper)[:, None] * iris_moves[0]
    lower = lower_follow * _lid_arch(regions, eye.lower)[:, None] * iris_moves[0]
    return _lids(regions, upper, lower, config.lid_reach_m, iris_moves)


def build_eye_shapes(regions: FaceRegions, config: EyeShapeConfig) -> dict[str, np.ndarray]:
    """The seven left-eye shapes, (478, 3) each, keyed by ARKit name."""
    eye, points = regions.eye_left, regions.points
    upper_gap, lower_gap = gap_profile(eye, points)                        # (U, 3), (L, 3)
    blink_upper, blink_lower = closing_deltas(points[eye.upper], points[eye.lower], config.blink_upper_share)
    horizontal = np.deg2rad(config.look_horizontal_deg)
    vertical = np.deg2rad(config.look_vertical_deg)
    reach = config.lid_reach_m
    lid_scale = np.linalg.norm(upper_gap, axis=1).max()                   # the lid opening, ~7 mm
    return {
        # Lids only; the skin close to them follows.
        "eyeBlinkLeft": _lids(regions, blink_upper, blink_lower, reach),
        # Looking down (+x axis turns the front of the eye down) drags the upper lid down.
        "eyeLookDownLeft": _gaze(regions, config, vertical * X, upper_follow=0.5, lower_follow=0.15),
        # In = towards the nose = -x for the left eye: rotation about -y.
        "eyeLookInLeft": _gaze(regions, config, -horizontal * Y, upper_follow=0.08, lower_follow=0.08),
        "eyeLookOutLeft": _gaze(regions, config, horizontal * Y, upper_follow=0.08, lower_follow=0.08),
        "eyeLookUpLeft": _gaze(regions, config, -vertical * X, upper_follow=0.35, lower_follow=0.15),
        # The lower lid rises with the cheek below it; the outer corner creases in and up.
        "eyeSquintLeft": _lids(regions, -config.squint_upper * upper_gap, config.squint_lower * lower_gap,
                               1.3 * reach, outer_corner_move=0.2 * lid_scale * np.array([-1.0, 0.6, 0.0])),
        # The upper lid rises and takes the whole skin fold up to the brow with it.
        "eyeWideLeft": _lids(regions, config.wide_upper * upper_gap, -config.wide_lower * lower_gap,
                             1.4 * reach, pin_brow=False),
    }
