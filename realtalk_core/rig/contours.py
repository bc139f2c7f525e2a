"""Closed contours (lips, lids) split into an upper and a lower arc, and closing one onto the other.

An arc is a polyline ordered by x that runs from one corner of the opening to the
other; positions along the opposite arc are read off by linear interpolation in x.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class Opening:
    """A closed contour split at its two corners (the extreme-x points)."""

    upper: np.ndarray   # (U,) landmark ids, ordered by x, corners included
    lower: np.ndarray   # (L,) landmark ids, ordered by x, corners included
    corners: np.ndarray  # (2,) landmark ids: the -x corner, the +x corner

    @property
    def upper_inside(self) -> np.ndarray:
        """Upper-arc ids without the corners."""
        return self.upper[1:-1]

    @property
    def lower_inside(self) -> np.ndarray:
        """Lower-arc ids without the corners."""
        return self.lower[1:-1]


def split_opening(contour: Sequence[int], points: np.ndarray) -> Opening:
    """Split a closed contour of landmark ids at its extreme-x corners into upper and lower arcs."""
    ids = np.asarray(contour)
    xs = points[ids, 0]
    first, second = sorted((int(xs.argmin()), int(xs.argmax())))
    arc_a = ids[first:second + 1]
    arc_b = np.concatenate([ids[second:], ids[:first + 1]])
    if points[arc_a, 1].mean() < points[arc_b, 1].mean():
        arc_a, arc_b = arc_b, arc_a
    by_x = lambda arc: arc[np.argsort(points[arc, 0], kind="stable")]  # noqa: E731
    upper, lower = by_x(arc_a), by_x(arc_b)
    return Opening(upper=upper, lower=lower, corners=np.array([upper[0], upper[-1]]))


def interp_rows(known_x: np.ndarray, values: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """(N, D) piecewise-linear interpolation in x of ``values`` (K, D) given at increasing ``known_x`` (K,).

    Outside the known range the end values hold.
    """
    return np.stack([np.interp(xs, known_x, values[:, k]) for k in range(values.shape[1])], axis=1)


def along_x(arc_points: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """(N, 3) points of the polyline ``arc_points`` (K, 3, ordered by x) at the abscissae ``xs`` (N,)."""
    return interp_rows(arc_points[:, 0], arc_points, xs)


def closing_deltas(upper: np.ndarray, lower: np.ndarray, upper_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Displacements that close an opening: both arcs end on one curve.

    ``upper`` (U, 3) and ``lower`` (L, 3) are the arcs' current positions, ordered by x.
    At every x the meeting curve lies ``upper_share`` of the way down from the upper
    arc to the lower one (1: the upper arc does all the moving, as a lid in a blink).
    Returns the (U, 3) and (L, 3) displacements.
    """
    gap_at_upper = upper - along_x(lower, upper[:, 0])   # (U, 3), upper minus lower
    gap_at_lower = along_x(upper, lower[:, 0]) - lower    # (L, 3)
    return -upper_share * gap_at_upper, (1.0 - upper_share) * gap_at_lower


def gap_profile(opening: Opening, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Upper-minus-lower gap vectors, read at the upper arc's (U, 3) and the lower arc's (L, 3) x."""
    upper, lower = points[opening.upper], points[opening.lower]
    return upper - along_x(lower, upper[:, 0]), along_x(upper, lower[:, 0]) - lower
