"""Eyeballs behind the lid holes, turned so the iris faces the rig's iris landmarks.

Each eyeball's centre is fixed in head space: straight behind the neutral iris centre,
far enough back that its front stays behind the closed lids. Per frame it rotates so its
+z pole (where the iris is painted) points at the posed iris centre (landmark 468 or 473),
which the rig moves with the eyeLook channels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...rig.face_rig import FaceRig
from ...schema.channels import LANDMARK_GROUPS


@dataclass(frozen=True)
class EyeConfig:
    """Eyeball size and placement."""

    radius_m: float = 0.0118
    """Eyeball radius."""
    behind_lids_m: float = 0.0012
    """Clearance between the eyeball's front and the closed lids."""


@dataclass(frozen=True)
class Eye:
    """One eyeball: its fixed centre and the iris landmark it looks at."""

    centre: np.ndarray    # (3,) head space
    iris: int             # landmark id of the iris centre


def build_eyes(rig: FaceRig, config: EyeConfig) -> tuple[Eye, Eye]:
    """The right and left eyeballs."""
    closed = rig.pose(rig.weights({"eyeBlinkLeft": 1.0, "eyeBlinkRight": 1.0}))
    eyes = []
    for contour, iris in (("eye_right", "iris_right"), ("eye_left", "iris_left")):
        centre_id = LANDMARK_GROUPS[iris][0]
        iris_point = rig.neutral[centre_id]
        lid = closed[list(LANDMARK_GROUPS[contour])]
        near = np.argsort(np.abs(lid[:, 0] - iris_point[0]))[:4]       # closed lid points over the iris
        front = min(iris_point[2], lid[near, 2].min()) - config.behind_lids_m
        centre = np.array([iris_point[0], iris_point[1], front - config.radius_m])
        eyes.append(Eye(centre=centre, iris=centre_id))
    return eyes[0], eyes[1]


def eye_matrix(eye: Eye, landmarks: np.ndarray) -> np.ndarray:
    """(4, 4) head-space transform of an eyeball (modelled at the origin, gaze +z) for posed landmarks."""
    gaze = landmarks[eye.iris] - eye.centre
    gaze = gaze / np.linalg.norm(gaze)
    z = np.array([0.0, 0.0, 1.0])
    axis = np.cross(z, gaze)
    sin, cos = np.linalg.norm(axis), float(z @ gaze)
    rot = np.eye(3)
    if sin > 1e-9:
        k = axis / sin
        kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
        rot = np.eye(3) + sin * kx + (1 - cos) * kx @ kx
    matrix = np.eye(4)
    matrix[:3, :3] = rot
    matrix[:3, 3] = eye.centre
    return matrix
