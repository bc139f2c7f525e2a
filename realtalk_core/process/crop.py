"""A steady square crop around the head: from per-frame face boxes to a smoothed box per frame.

The box is smoothed with a zero-phase Gaussian over the whole clip (the clip is processed
offline, so the filter can look ahead: no lag, no per-frame jumps), then kept inside the
frame by clamping its size and position.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .gaps import interpolate


@dataclass(frozen=True)
class CropConfig:
    """How the crop box follows the face."""

    size: int = 512                 #: output frames are size x size pixels
    scale: float = 2.0              #: box side / the face's larger extent (leaves room for hair, neck, shoulders)
    shift_down: float = 0.08        #: box centre below the face centre, as a fraction of the side (takes in the neck)
    centre_sigma_s: float = 0.25    #: smoothing of the box centre (seconds)
    side_sigma_s: float = 1.0       #: smoothing of the box size (seconds): the size changes slowly


def raw_boxes(face_boxes: np.ndarray, config: CropConfig) -> np.ndarray:
    """(T, 4) face boxes x0, y0, x1, y1 -> (T, 3) crop boxes centre x, centre y, side (pixels, unsmoothed)."""
    width = face_boxes[:, 2] - face_boxes[:, 0]
    height = face_boxes[:, 3] - face_boxes[:, 1]
    side = config.scale * np.maximum(width, height)
    cx = (face_boxes[:, 0] + face_boxes[:, 2]) / 2
    cy = (face_boxes[:, 1] + face_boxes[:, 3]) / 2 + config.shift_down * side
    return np.stack([cx, cy, side], axis=1)


def gaussian_smooth(values: np.ndarray, sigma_frames: float) -> np.ndarray:
    """Zero-phase Gaussian smoothing along axis 0, with the ends reflected (no lag, no edge droop)."""
    if sigma_frames <= 0 or len(values) < 2:
        return values.astype(np.float64)
    radius = int(np.ceil(3 * sigma_frames))
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma_frames) ** 2)
    taps /= taps.sum()
    padded = np.pad(values.astype(np.float64), [(radius, radius)] + [(0, 0)] * (values.ndim - 1), mode="reflect"
                    if len(values) > radius else "edge")
    out = np.empty(values.shape, np.float64)
    for column in np.ndindex(values.shape[1:]):
        index = (slice(None),) + column
        out[index] = np.convolve(padded[index], taps, mode="valid")
    return out


def smooth_boxes(face_boxes: np.ndarray, found: np.ndarray, fps: float, frame_size: tuple[int, int],
                 config: CropConfig) -> np.ndarray:
    """(T, 4) face boxes (rows where ``found`` is False are ignored) -> (T, 3) x0, y0, side, inside the frame."""
    boxes = interpolate(raw_boxes(face_boxes, config), found)
    centre = gaussian_smooth(boxes[:, :2], config.centre_sigma_s * fps)
    side = gaussian_smooth(boxes[:, 2:], config.side_sigma_s * fps)[:, 0]
    width, height = frame_size
    side = np.clip(side, 16.0, float(min(width, height)))
    x0 = np.clip(centre[:, 0] - side / 2, 0.0, width - side)
    y0 = np.clip(centre[:, 1] - side / 2, 0.0, height - side)
    return np.stack([x0, y0, side], axis=1)


def crop_matrix(box: np.ndarray, size: int) -> np.ndarray:
    """(2, 3) affine map from source pixels to crop pixels for the box x0, y0, side."""
    x0, y0, side = (float(v) for v in box)
    scale = size / side
    return np.array([[scale, 0.0, -x0 * scale], [0.0, scale, -y0 * scale]])


def crop_frame(rgb: np.ndarray, box: np.ndarray, size: int) -> np.ndarray:
    """The (size, size, 3) crop of one frame (sub-pixel box position, area-like filtering when shrinking).

    Parts of the box outside the frame repeat the frame's edge pixels.
    """
    x0, y0, side = (float(v) for v in box)
    scale = size / side
    if scale <= 0.5:                                  # shrinking a lot: pre-shrink so bilinear does not alias
        factor = int(np.floor(1.0 / scale))
        small_size = (max(1, round(rgb.shape[1] / factor)), max(1, round(rgb.shape[0] / factor)))
        small = cv2.resize(rgb, small_size, interpolation=cv2.INTER_AREA)
        ratio = small_size[0] / rgb.shape[1]
        return crop_frame(small, np.array([x0 * ratio, y0 * ratio, side * ratio]), size)
    return cv2.warpAffine(rgb, crop_matrix(box, size), (size, size), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)


def box_steadiness(boxes: np.ndarray) -> float:
    """Largest frame-to-frame move of the box (centre or side), as a fraction of the side."""
    if len(boxes) < 2:
        return 0.0
    centre = boxes[:, :2] + boxes[:, 2:3] / 2
    steps = np.abs(np.diff(np.concatenate([centre, boxes[:, 2:3]], axis=1), axis=0))
    return float((steps / boxes[1:, 2:3]).max())
