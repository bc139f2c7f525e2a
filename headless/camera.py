"""The proxy renderer's camera: head space -> camera space -> pixels.

Frames follow the Take's coordinate frame (``realtalk_core.schema.COORDINATE_FRAME``):
landmarks live in head space, ``head_pose`` maps them to camera space, and the camera is
OpenGL-style, at the origin looking down -z with +y up. Pixels have +x right and +y down;
pixel ``(i, j)`` covers ``[i, i + 1) x [j, j + 1)``, so the image centre is ``(W / 2, H / 2)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CameraConfig:
    """A pinhole camera on the Take's camera-space origin."""

    #: vertical field of view in degrees. 22 degrees frames an adult face (about 18 cm tall)
    #: at 0.6 m, the demo's distance, at roughly three quarters of the image height.
    fov_y_degrees: float = 22.0
    #: triangles with a vertex closer than this (metres in front of the camera) are not drawn
    near: float = 0.05

    def build(self, width: int, height: int) -> "PinholeCamera":
        return PinholeCamera(self, width, height)


class PinholeCamera:
    """Perspective projection for one image size."""

    def __init__(self, config: CameraConfig, width: int, height: int) -> None:
        if not 0.0 < config.fov_y_degrees < 179.0:
            raise ValueError(f"fov_y_degrees must be in (0, 179), got {config.fov_y_degrees}")
        self.config = config
        self.width, self.height = width, height
        #: focal length in pixels (square pixels)
        self.focal = (height / 2.0) / math.tan(math.radians(config.fov_y_degrees) / 2.0)
        self.centre = np.array([width / 2.0, height / 2.0], np.float64)

    def project(self, points: np.ndarray) -> np.ndarray:
        """(N, 3) camera-space points in front of the camera -> (N, 2) float pixel coordinates."""
        depth = np.maximum(-points[:, 2], 1e-9)                        # (N,) distance along -z
        x = self.centre[0] + self.focal * points[:, 0] / depth
        y = self.centre[1] - self.focal * points[:, 1] / depth         # image y runs down
        return np.stack([x, y], axis=1)


def pose_points(points: np.ndarray, head_pose: np.ndarray) -> np.ndarray:
    """(N, 3) head-space points and a (4, 4) rigid head->camera pose -> (N, 3) camera space."""
    rotation, translation = head_pose[:3, :3], head_pose[:3, 3]
    return points.astype(np.float64) @ rotation.T.astype(np.float64) + translation.astype(np.float64)
