"""How still are tracked landmarks on a still photo? (For test clips with known camera motion.)

A test clip is a still photo seen through a known moving camera (``testclips``). Mapping
each frame's tracked landmarks back through its crop box and the inverse camera motion
puts them on the photo, where a perfect tracker would give the same points every frame.
"""

from __future__ import annotations

import numpy as np

from .assemble import inter_ocular
from .dataset import Dataset


def photo_points(dataset: Dataset, motions: np.ndarray, source_fps: float, smoothed: bool = True) -> np.ndarray:
    """(T, 478, 2) tracked landmarks in photo pixels (tracked frames only; others are NaN)."""
    key = "landmarks_image" if smoothed else "landmarks_image_raw"
    size = float(dataset.manifest["size"])
    crop_px = dataset.tracks[key][:, :, :2].astype(np.float64) * size
    boxes = dataset.tracks["crop_boxes"].astype(np.float64)
    source = boxes[:, None, :2] + crop_px * (boxes[:, 2:3, None] / size)                      # video pixels
    frames = np.minimum(np.round(np.arange(dataset.frames) * source_fps / dataset.fps).astype(int), len(motions) - 1)
    linear, shift = motions[frames, :, :2], motions[frames, :, 2]                              # (T, 2, 2), (T, 2)
    photo = np.einsum("tij,tnj->tni", np.linalg.inv(linear), source - shift[:, None, :])
    photo[~dataset.tracks["tracked"]] = np.nan
    return photo


def photo_spread(dataset: Dataset, motions: np.ndarray, source_fps: float, smoothed: bool = True) -> float:
    """RMS distance of each landmark from its mean photo position, in inter-ocular distances."""
    points = photo_points(dataset, motions, source_fps, smoothed)
    points = points[dataset.tracks["tracked"]]
    centre = points.mean(axis=0)
    rms = np.sqrt(np.mean(np.sum((points - centre) ** 2, axis=-1)))
    return float(rms / np.median(inter_ocular(points)))
