"""The render camera and the exact 2D projection of the ground-truth landmarks.

Same convention as the proxy renderer (``realtalk_headless.camera``): a pinhole at the
Take's camera-space origin looking down -z, +y up; pixel (i, j) covers [i, i+1) x [j, j+1).
Blender's camera sits at the world origin unrotated, so Blender's world *is* camera space.
The field of view is wider than the proxy's default, to show the neck and shoulders, and
``shift_y`` moves the frame down so the head sits above the image centre, as in a
realtalk-dataset crop. Numpy only: the caller projects without bpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SubjectCameraConfig:
    """The render camera."""

    fov_y_degrees: float = 32.0
    """Vertical field of view; at 0.6 m a 32 degree frame is about twice the face's height."""
    shift_y: float = -0.1
    """Frame shift in image heights (Blender's lens shift); negative moves the view down."""

    def focal(self, height: int) -> float:
        """Focal length in pixels for an image ``height`` pixels tall (square pixels)."""
        return (height / 2.0) / math.tan(math.radians(self.fov_y_degrees) / 2.0)


def project(points: np.ndarray, config: SubjectCameraConfig, width: int, height: int) -> np.ndarray:
    """(..., 3) camera-space points in front of the camera -> (..., 3): pixel x, pixel y, depth (m)."""
    points = np.asarray(points, np.float64)
    depth = np.maximum(-points[..., 2], 1e-9)
    focal = config.focal(height)
    x = width / 2.0 + focal * points[..., 0] / depth
    y = height / 2.0 + config.shift_y * height - focal * points[..., 1] / depth
    return np.stack([x, y, depth], axis=-1)


def landmarks_image(landmarks: np.ndarray, head_pose: np.ndarray, config: SubjectCameraConfig,
                    size: int) -> np.ndarray:
    """(T, 478, 3) head-space landmarks and (T, 4, 4) poses -> (T, 478, 3) image landmarks.

    x, y in [0, 1] of the square image (x right, y down); z is depth relative to the head
    origin, on x's scale (divided by the image width at that depth), smaller = nearer, as
    MediaPipe and realtalk-dataset's ``landmarks_image`` have it.
    """
    landmarks = np.asarray(landmarks, np.float64)
    head_pose = np.asarray(head_pose, np.float64)
    camera = np.einsum("tij,tnj->tni", head_pose[:, :3, :3], landmarks) + head_pose[:, None, :3, 3]
    pixels = project(camera, config, size, size)                      # (T, 478, 3)
    origin_depth = np.maximum(-head_pose[:, 2, 3], 1e-9)[:, None]      # (T, 1)
    z = (pixels[..., 2] - origin_depth) * config.focal(size) / origin_depth / size
    return np.stack([pixels[..., 0] / size, pixels[..., 1] / size, z], axis=-1).astype(np.float32)
