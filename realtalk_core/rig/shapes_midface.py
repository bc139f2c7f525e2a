"""Brow, cheek and nose shapes: the subject's LEFT-side ones (+x) and the bilateral ones.

Brow moves are given on the brow landmarks, graded from the brow's inner end
(``t = 0``) to its outer end (``t = 1``), and spread over the forehead by harmonic
extension with the eye contours held (a brow raise does not open the eye).
Cheek and nose shapes are Gaussian patches around points on the skin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..schema.channels import LANDMARK_GROUPS
from .mesh_fields import gaussian, smoothstep
from .regions import FaceRegions

MM = 1e-3


@dataclass(frozen=True)
class MidfaceShapeConfig:
    """Magnitudes of the brow, cheek and nose shapes at weight 1."""

    brow_inner_up_m: float = 10 * MM
    """browInnerUp: lift of the brows' inner ends."""
    brow_outer_up_m: float = 8 * MM
    """browOuterUp: lift of the brow's outer end."""
    brow_down_m: float = 9 * MM
    """browDown: drop of the brow's inner end (corrugator, procerus)."""
    brow_down_outer: float = 0.9
    """browDown: drop of the brow's outer end (orbicularis oculi), as a share of the inner end's:
    the whole brow comes down, the inner end most."""
    brow_down_medial: float = 0.4
    """browDown: pull of the brow's inner end towards the midline (corrugator), as a share of its drop."""
    brow_reach_m: float = 0.03
    """Brow moves fade to zero this far from the brow."""
    cheek_puff_m: float = 8 * MM
    """cheekPuff: outward push of the middle of each cheek, along the skin normal."""
    cheek_squint_m: float = 4 * MM
    """cheekSquint: lift of the cheek under the eye."""
    sneer_m: float = 3.5 * MM
    """noseSneer: lift of the nose wing."""


def _held_eyes() -> np.ndarray:
    return np.array(LANDMARK_GROUPS["eyes"])


def _brow(regions: FaceRegions, moves: np.ndarray, reach: float, both_sides: bool) -> np.ndarray:
    """(478, 3) from moves (10, 3) of the left brow's landmarks; ``both_sides`` adds their mirror."""
    handles = regions.brow_left
    if both_sides:
        handles = np.concatenate([handles, regions.mirror[handles]])
        moves = np.concatenate([moves, moves * np.array([-1.0, 1.0, 1.0])])
    return regions.extend(handles, moves, reach, pinned=_held_eyes())


def build_midface_shapes(regions: FaceRegions, config: MidfaceShapeConfig) -> dict[str, np.ndarray]:
    """Left-side and bilateral brow, cheek and nose shapes, (478, 3) each."""
    points, t = regions.points, regions.brow_left_t[:, None]          # t: (10, 1)
    c = config
    eye = regions.eye_left
    eye_centre = points[np.concatenate([eye.upper, eye.lower])].mean(axis=0)
    lower_lid_y = points[eye.lower, 1].mean()
    upper_lid_y = points[eye.upper, 1].mean()
    cheek_left = regions.surface_point(np.array([eye_centre[0] + 0.016, points[regions.mouth_corner_left, 1] + 0.012, 0]))
    puff = gaussian(points, cheek_left, 0.016) + gaussian(points, cheek_left * [-1, 1, 1], 0.016)
    under_eye = regions.surface_point(eye_centre + np.array([0.006, -0.02, 0.0]))
    below_lids = smoothstep(-points[:, 1], -upper_lid_y, -lower_lid_y)    # 1 under the lower lid
    nose_wing = regions.surface_point(np.array([0.014, points[regions.mouth_corner_left, 1] + 0.035, 0.0]))
    return {
        "browInnerUp": _brow(regions, c.brow_inner_up_m * (1 - t) ** 1.2 * np.array([0.0, 1.0, 0.1]),
                             c.brow_reach_m, both_sides=True),
        "browOuterUpLeft": _brow(regions, c.brow_outer_up_m * t ** 1.5 * np.array([0.0, 1.0, 0.0]),
                                 c.brow_reach_m, both_sides=False),
        "browDownLeft": _brow(regions, c.brow_down_m * (
            (c.brow_down_outer + (1 - c.brow_down_outer) * (1 - t)) * np.array([0.0, -1.0, 0.1])
            + c.brow_down_medial * (1 - t) * np.array([-1.0, 0.0, 0.0])), c.brow_reach_m, both_sides=False),
        "cheekPuff": regions.masked(puff, c.cheek_puff_m * regions.normals),
        "cheekSquintLeft": regions.masked(gaussian(points, under_eye, 0.012) * below_lids,
                                          c.cheek_squint_m * np.array([0.0, 1.0, 0.25])),
        "noseSneerLeft": regions.masked(gaussian(points, nose_wing, 0.009), c.sneer_m * np.array([0.15, 1.0, 0.15])),
    }
