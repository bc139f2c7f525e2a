"""The jaw: a rotation of the mandible about a hinge axis near the ears, and its shapes.

``jawOpen`` is a rotation by ``open_deg`` (at weight 1) of the jaw region about an axis
parallel to x through the hinge point: on the midline, at the height of the nose base,
``hinge_behind_m`` behind the face oval's ear points (the temporomandibular joints).
The rig's linear delta is that rotation's first-order term (the velocity field
``angle * axis x (p - hinge)``, weighted by the soft jaw mask); :meth:`JawHinge.rotate`
applies the exact rotation, used by ``FaceRig.pose``. The solver inverts the linear one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .regions import CHIN, EAR_LEFT, SUBNASALE, FaceRegions

MM = 1e-3
#: Direction of jaw protrusion: forward, and down along the articular eminence.
PROTRUSION = np.array([0.0, -0.35, 1.0]) / np.hypot(0.35, 1.0)


@dataclass(frozen=True)
class JawConfig:
    """Magnitudes of the jaw shapes at weight 1."""

    open_deg: float = 16.0
    """jawOpen rotation; 16 degrees opens the inner lips by about 2.5 cm."""
    hinge_behind_m: float = 0.01
    """How far the hinge sits behind the face oval's ear points (metres)."""
    forward_m: float = 6 * MM
    """jawForward: thrust of the mandible; it slides forward (+z) and a little down its condyle path."""
    shift_m: float = 7 * MM
    """jawLeft / jawRight: sideways shift of the chin."""
    condyle_half_width_m: float = 0.05
    """Distance of each condyle from the midline; jawLeft swings the jaw about the left one."""


@dataclass(frozen=True)
class JawHinge:
    """The jaw's rotation: a hinge point and axis, the angle at weight 1, and the jaw mask."""

    point: np.ndarray   # (3,) a point on the hinge axis
    axis: np.ndarray    # (3,) unit axis; a positive rotation opens the mouth
    angle_rad: float    # rotation at jawOpen = 1
    mask: np.ndarray    # (478,) how much each landmark follows the mandible, in [0, 1]

    def linear_delta(self, neutral: np.ndarray) -> np.ndarray:
        """(478, 3) first-order displacement of the rotation at weight 1."""
        velocity = np.cross(self.axis, neutral - self.point)        # (478, 3)
        return self.mask[:, None] * self.angle_rad * velocity

    def rotation_basis(self, points: np.ndarray, index: np.ndarray | None = None) -> np.ndarray:
        """(2, P, 3): the displacement of ``points`` (P, 3) by a rotation of angle a is
        ``(cos a - 1) * basis[0] + sin a * basis[1]`` (Rodrigues about the unit axis k:
        R p - p = (cos a - 1) (p - k (k . p)) + sin a (k x p), arms from the hinge), jaw mask applied;
        ``index`` (P,) names the landmarks when ``points`` is not all 478."""
        mask = (self.mask if index is None else self.mask[index])[:, None]
        arm = points - self.point                                                       # (P, 3)
        return np.stack([mask * (arm - np.outer(arm @ self.axis, self.axis)), mask * np.cross(self.axis, arm)])

    def rotation_coefficients(self, weight: np.ndarray) -> np.ndarray:
        """(T, 2) ``(cos a - 1, sin a)`` of the rotation angles a = ``weight`` (T,) x the angle at weight 1."""
        angle = np.asarray(weight, np.float64).reshape(-1) * self.angle_rad
        return np.stack([np.cos(angle) - 1.0, np.sin(angle)], axis=1)

    def rotate(self, points: np.ndarray, weight: np.ndarray, index: np.ndarray | None = None) -> np.ndarray:
        """(T, P, 3) displacement of the exact rotation by ``weight`` (T,) x angle of ``points`` (P, 3):
        all 478 landmarks, or the landmarks ``index`` (P,) when given."""
        basis = self.rotation_basis(points, index)
        return np.einsum("tc,cpx->tpx", self.rotation_coefficients(weight), basis)

    def transformed(self, scale: float, rotation: np.ndarray, translation: np.ndarray) -> "JawHinge":
        """The same hinge after the similarity p -> scale * rotation @ p + translation."""
        return JawHinge(point=scale * rotation @ self.point + translation, axis=rotation @ self.axis,
                        angle_rad=self.angle_rad, mask=self.mask)


def build_hinge(regions: FaceRegions, config: JawConfig) -> JawHinge:
    """The hinge of the canonical face: on the midline, at nose-base height, behind the ears."""
    points = regions.points
    point = np.array([0.0, points[SUBNASALE, 1], points[EAR_LEFT, 2] - config.hinge_behind_m])
    return JawHinge(point=point, axis=np.array([1.0, 0.0, 0.0]), angle_rad=np.deg2rad(config.open_deg),
                    mask=regions.jaw.copy())


def build_jaw_shapes(regions: FaceRegions, hinge: JawHinge, config: JawConfig) -> dict[str, np.ndarray]:
    """jawOpen (linearised), jawForward and jawLeft (the subject's left, +x): (478, 3) each."""
    return {
        "jawOpen": hinge.linear_delta(regions.points),
        "jawForward": regions.masked(regions.jaw, config.forward_m * PROTRUSION),
        "jawLeft": _swing_left(regions, hinge, config),
    }


def _swing_left(regions: FaceRegions, hinge: JawHinge, config: JawConfig) -> np.ndarray:
    """jawLeft: the mandible swings about a vertical axis through the left condyle.

    The chin moves ``shift_m`` to the subject's left; the right side of the jaw comes
    forward (the right condyle slides down its eminence), so jawLeft and jawRight are
    not simply opposite moves.
    """
    condyle = hinge.point + np.array([config.condyle_half_width_m, 0.0, 0.0])
    chin_arm = regions.points[CHIN] - condyle
    angle = config.shift_m / chin_arm[2]                     # small: x move of the chin = angle * arm_z
    velocity = np.cross(np.array([0.0, angle, 0.0]), regions.points - condyle)   # (478, 3)
    return regions.masked(regions.jaw, velocity)
