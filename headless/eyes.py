"""Irises and pupils, drawn from the Take's 10 iris landmarks and clipped to the visible eyeball.

Each iris is a circle in 3-D: its centre landmark and four rim points give two radius
vectors, so the iris foreshortens as the head or the gaze turns. It is drawn only on the
pixels the label buffer marks as that eye's eyeball, so the lids and the nose hide it
exactly as they hide the eyeball.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .camera import PinholeCamera

#: Points on each drawn circle.
_CIRCLE_POINTS = 32


@dataclass(frozen=True)
class IrisStyle:
    """How an iris is drawn; colours are sRGB (r, g, b) in 0..255."""

    iris: tuple[int, int, int]
    pupil: tuple[int, int, int]
    #: darker ring at the iris edge (the limbus)
    limbus: tuple[int, int, int]
    #: pupil radius as a fraction of the iris radius
    pupil_scale: float = 0.42
    #: limbus width as a fraction of the iris radius
    limbus_scale: float = 0.14
    #: catch-light radius as a fraction of the iris radius; 0 for none
    catchlight_scale: float = 0.16
    #: colour of the catch-light, the key light's reflection on the cornea
    catchlight: tuple[int, int, int] = (245, 245, 245)


def iris_axes(rim: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(4, 3) rim points (+x, +y, -x, -y of the iris) -> its two (3,) radius vectors."""
    return (rim[0] - rim[2]) / 2.0, (rim[1] - rim[3]) / 2.0


def circle_points(centre: np.ndarray, axis_u: np.ndarray, axis_v: np.ndarray) -> np.ndarray:
    """(3,) centre and two (3,) radius vectors -> (K, 3) points on the circle they span."""
    angles = np.linspace(0.0, 2.0 * np.pi, _CIRCLE_POINTS, endpoint=False)[:, None]   # (K, 1)
    return centre + np.cos(angles) * axis_u + np.sin(angles) * axis_v


def draw_iris(canvas: np.ndarray, eyeball: np.ndarray, camera: PinholeCamera, centre: np.ndarray,
              rim: np.ndarray, style: IrisStyle, shift: int) -> None:
    """Paint one iris into ``canvas`` (H, W, 3) uint8 RGB where ``eyeball`` (H, W) bool is set.

    ``centre`` (3,) and ``rim`` (4, 3) are the iris landmarks in camera space.
    """
    if not eyeball.any():
        return
    rows, cols = np.nonzero(eyeball)
    top, bottom, left, right = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    patch = canvas[top:bottom, left:right].copy()                        # (h, w, 3)
    origin = np.array([left, top], np.float64) + 0.5                     # pixel centres sit at +0.5
    axis_u, axis_v = iris_axes(rim)

    def fill(middle: np.ndarray, scale: float, colour: tuple[int, int, int]) -> None:
        outline = camera.project(circle_points(middle, scale * axis_u, scale * axis_v)) - origin
        cv2.fillPoly(patch, [np.round(outline * (1 << shift)).astype(np.int32)], colour,
                     lineType=cv2.LINE_8, shift=shift)

    fill(centre, 1.0, style.limbus)
    fill(centre, 1.0 - style.limbus_scale, style.iris)
    fill(centre, style.pupil_scale, style.pupil)
    if style.catchlight_scale > 0:
        # the key light's reflection, up and towards the image left of the pupil
        fill(centre + 0.35 * (axis_v - axis_u), style.catchlight_scale, style.catchlight)
    mask = eyeball[top:bottom, left:right]
    canvas[top:bottom, left:right][mask] = patch[mask]
