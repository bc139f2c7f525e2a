"""From the two passes' raw per-frame results to the dataset's arrays.

Short gaps are interpolated, landmarks smoothed (zero-phase One-Euro, in crop pixels)
with jitter measured before and after, landmarks moved into the Take's head frame, and
MediaPipe's head transforms converted to metres and smoothed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..rig.pose import rigid_landmarks
from ..rig.similarity import align
from ..rig.smoothing import PointSmootherConfig, PoseSmootherConfig, jitter, smooth_points, smooth_poses
from ..schema.channels import LANDMARK_GROUPS
from .gaps import interpolate, runs, short_gaps

CM_TO_M = 0.01


@dataclass(frozen=True)
class AssembleConfig:
    """Gap filling and smoothing."""

    max_gap_s: float = 0.5                  #: gaps up to this long are interpolated and stay valid
    landmarks: PointSmootherConfig = field(default_factory=PointSmootherConfig)
    pose: PoseSmootherConfig = field(default_factory=PoseSmootherConfig)
    confidence_scale: float = 0.02          #: raw-to-smoothed distance (inter-ocular units) where confidence is 1/e


def inter_ocular(landmarks_px: np.ndarray) -> np.ndarray:
    """(T,) distance between the iris centres (pixels), the scale jitter is measured in."""
    right, left = LANDMARK_GROUPS["iris_right"][0], LANDMARK_GROUPS["iris_left"][0]
    return np.linalg.norm(landmarks_px[:, right, :2] - landmarks_px[:, left, :2], axis=-1)


def track_jitter(landmarks_px: np.ndarray, usable: np.ndarray) -> float:
    """Mean |second difference| of landmarks over runs of usable frames, per inter-ocular distance."""
    values, weights = [], []
    for first, last in runs(usable):
        if last - first >= 2:
            segment = landmarks_px[first:last + 1, :, :2]
            values.append(jitter(segment, np.median(inter_ocular(segment))))
            weights.append(last - first - 1)
    return float(np.average(values, weights=weights)) if values else 0.0


def head_frame(landmarks_image: np.ndarray, size: int, neutral: np.ndarray) -> np.ndarray:
    """(T, 478, 3) crop-normalised landmarks -> the Take's head frame in metres (pose and scale removed)."""
    points = np.asarray(landmarks_image, np.float64) * size
    camera_like = np.stack([points[..., 0], -points[..., 1], -points[..., 2]], axis=-1)   # y up, z towards camera
    ids = rigid_landmarks()
    head_to_image = align(neutral[ids], camera_like[:, ids], with_scale=True)
    return head_to_image.inverse().apply(camera_like).astype(np.float32)


def confidence(raw_px: np.ndarray, smooth_px: np.ndarray, found: np.ndarray, scale: float) -> np.ndarray:
    """(T,) tracking confidence in [0, 1]: how well a frame agrees with its smoothed neighbourhood.

    The mean landmark distance between the raw and the smoothed track, in inter-ocular
    distances, through ``exp(-d / scale)``. Glitches and jumps score low; 0 where no face was found.
    """
    distance = np.linalg.norm(raw_px[..., :2] - smooth_px[..., :2], axis=-1).mean(axis=1)
    return np.where(found, np.exp(-distance / (inter_ocular(smooth_px) + 1e-9) / scale), 0.0).astype(np.float32)


def assemble(chunks: list[dict], boxes: np.ndarray, size: int, fps: float, neutral: np.ndarray,
             config: AssembleConfig) -> tuple[dict[str, np.ndarray], dict]:
    """The dataset's track arrays and the tracking report."""
    raw = {key: np.concatenate([chunk[key] for chunk in chunks]) for key in chunks[0]}
    tracked = raw["found"].astype(bool)           # the crop pass decides: its crop follows the chosen face
    missing = ~tracked
    fill = short_gaps(missing, max(1, int(round(config.max_gap_s * fps))))
    valid = tracked | fill
    lm_raw = interpolate(raw["landmarks"], tracked)                                      # (T, 478, 3)
    raw_px = lm_raw * size
    smooth_px = smooth_points(raw_px, fps, config.landmarks)
    landmarks_image = (smooth_px / size).astype(np.float32)
    transforms = interpolate(raw["transform"].astype(np.float64), tracked)
    transforms[:, :3, 3] *= CM_TO_M
    tracks = {
        "landmarks": head_frame(landmarks_image, size, neutral),
        "landmarks_image": landmarks_image,
        "landmarks_image_raw": lm_raw.astype(np.float32),
        "blendshapes": interpolate(raw["blendshapes"], tracked).astype(np.float32),
        "head_pose": smooth_poses(_orthonormal(transforms), fps, config.pose),
        "crop_boxes": boxes.astype(np.float32),
        "confidence": confidence(raw_px, smooth_px, tracked, config.confidence_scale),
        "tracked": tracked,
        "valid": valid,
    }
    report = {
        "tracked_fraction": round(float(tracked.mean()), 4),
        "missing_frames": [list(r) for r in runs(missing)],
        "interpolated_frames": [list(r) for r in runs(fill)],
        "invalid_frames": [list(r) for r in runs(~valid)],
        "jitter_before": round(track_jitter(raw_px, tracked), 5),
        "jitter_after": round(track_jitter(smooth_px, tracked), 5),
        "jitter_unit": "mean |second difference| of landmarks per frame, in inter-ocular distances",
        "mean_confidence": round(float(tracks["confidence"][tracked].mean()) if tracked.any() else 0.0, 4),
    }
    return tracks, report


def _orthonormal(transforms: np.ndarray) -> np.ndarray:
    """Project each 3x3 block to the nearest rotation (interpolation and MediaPipe's scale leave it off)."""
    u, _, vt = np.linalg.svd(transforms[:, :3, :3])
    rotation = u @ vt
    flip = np.linalg.det(rotation) < 0
    u[flip, :, -1] *= -1
    out = transforms.copy()
    out[:, :3, :3] = u @ vt
    out[:, 3] = (0.0, 0.0, 0.0, 1.0)
    return out
