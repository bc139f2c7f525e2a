"""Paste a rendered square crop back into the subject's full source frame.

The inverse of ``realtalk_core.process.crop.crop_frame``: crop pixel ``c`` sits at source pixel
``x0 + c * side / S`` (``crop_matrix``'s convention). Output pixels map to source pixels as ``cv2.resize`` maps
them (pixel centres aligned), so the person lands where the resized backdrop plate expects them.

Only the box's bounding rectangle is warped; colour is warped premultiplied by alpha so edges don't fringe,
and the box's own edge is antialiased by the fraction of each output pixel it covers.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from realtalk_core.process.crop import crop_matrix
from realtalk_core.render.framing import Framing

from .errors import RenderError


def paste_back_size(framing: Framing, scale: float = 1.0) -> tuple[int, int]:
    """(width, height) of pasted frames: the source size times ``scale``, each rounded to an even number (H.264)."""
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
        raise RenderError(f"paste-back scale {scale!r}: must be a finite number > 0")
    return _even(framing.source_width * scale), _even(framing.source_height * scale)


def _even(value: float) -> int:
    return max(2, 2 * round(value / 2))


def fit_backdrop(backdrop: np.ndarray, width: int, height: int) -> np.ndarray:
    """An (H0, W0, 3) uint8 full-frame image resized to (height, width, 3); unchanged when it already fits.

    Resize once and pass the result to every ``paste_back`` call of a video: it is the slow part at 1080p.
    """
    backdrop = np.asarray(backdrop)
    if backdrop.dtype != np.uint8 or backdrop.ndim != 3 or backdrop.shape[2] != 3:
        raise RenderError(f"paste-back backdrop: expected (H, W, 3) uint8, got {backdrop.shape} {backdrop.dtype}")
    if backdrop.shape[:2] == (height, width):
        return backdrop
    shrink = width < backdrop.shape[1] and height < backdrop.shape[0]
    return cv2.resize(backdrop, (width, height), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def paste_back(rgba: np.ndarray, framing: Framing, backdrop: np.ndarray | None, scale: float = 1.0) -> np.ndarray:
    """Composite an (S, S, 4) uint8 straight-alpha crop into the full frame.

    With a ``backdrop`` ((H0, W0, 3) uint8 full frame at any resolution) -> (H, W, 3) uint8 RGB; with None ->
    (H, W, 4) uint8 straight-alpha RGBA, transparent outside the person. (W, H) = ``paste_back_size``.
    """
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.shape[0] != rgba.shape[1]:
        raise RenderError(f"paste-back: expected an (S, S, 4) uint8 RGBA crop, got {rgba.shape} {rgba.dtype}")
    width, height = paste_back_size(framing, scale)
    base = None if backdrop is None else fit_backdrop(backdrop, width, height)
    if base is None:
        out = np.zeros((height, width, 4), np.uint8)
    else:
        out = base.copy()
    warp = _crop_from_output(framing, rgba.shape[0], width, height)      # (2, 3) output pixels -> crop pixels
    rect = _box_rect(warp, rgba.shape[0], width, height)
    if rect is None:
        return out
    u0, v0, u1, v1 = rect
    roi = warp.copy()
    roi[:, 2] += warp[:, 0] * u0 + warp[:, 1] * v0                       # ROI pixel (0, 0) is output (u0, v0)
    premultiplied = rgba.astype(np.float32)                              # (S, S, 4): rgb * a / 255, a
    premultiplied[..., :3] *= premultiplied[..., 3:4] * (1.0 / 255.0)
    warped = cv2.warpAffine(premultiplied, roi, (u1 - u0, v1 - v0), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                            borderMode=cv2.BORDER_REPLICATE)             # (h, w, 4); coverage cuts it to the box
    _cut_to_box(warped, warp, rgba.shape[0], u0, u1, v0, v1)
    if base is None:
        alpha = warped[..., 3:4]                                        # (h, w, 1) in [0, 255]
        colour = np.divide(warped[..., :3], alpha * (1.0 / 255.0), out=np.zeros_like(warped[..., :3]),
                           where=alpha > 1e-4)
        result = np.concatenate([colour, alpha], axis=2)
    else:
        inverse = 1.0 - warped[..., 3:4] * (1.0 / 255.0)                # (h, w, 1): how much backdrop shows
        result = base[v0:v1, u0:u1].astype(np.float32)
        result *= inverse
        result += warped[..., :3]
    result += 0.5                                                       # premultiplied: never above 255.5
    out[v0:v1, u0:u1] = np.minimum(result, 255.0).astype(np.uint8)
    return out


def _crop_from_output(framing: Framing, size: int, width: int, height: int) -> np.ndarray:
    """(2, 3) affine map from output pixels to crop pixels: output -> source (cv2.resize centres) -> crop_matrix."""
    sx, sy = width / framing.source_width, height / framing.source_height
    to_source = np.array([[1 / sx, 0.0, 0.5 / sx - 0.5], [0.0, 1 / sy, 0.5 / sy - 0.5], [0.0, 0.0, 1.0]])
    return crop_matrix(np.array(framing.box), size) @ to_source


def _box_rect(warp: np.ndarray, size: int, width: int, height: int) -> tuple[int, int, int, int] | None:
    """u0, v0, u1, v1 (end exclusive): output pixels whose footprint may overlap the crop, inside the frame."""
    ax, bx, ay, by = warp[0, 0], warp[0, 2], warp[1, 1], warp[1, 2]
    # crop coordinate c = a * u + b; the crop covers c in [-0.5, size - 0.5]; an output pixel spans u +- 0.5.
    u_lo, u_hi = (-0.5 - bx) / ax - 0.5, (size - 0.5 - bx) / ax + 0.5
    v_lo, v_hi = (-0.5 - by) / ay - 0.5, (size - 0.5 - by) / ay + 0.5
    u0, v0 = max(0, math.floor(u_lo)), max(0, math.floor(v_lo))
    u1, v1 = min(width, math.ceil(u_hi) + 1), min(height, math.ceil(v_hi) + 1)
    return (u0, v0, u1, v1) if u1 > u0 and v1 > v0 else None


def _cut_to_box(warped: np.ndarray, warp: np.ndarray, size: int, u0: int, u1: int, v0: int, v1: int) -> None:
    """Scale (h, w, 4) ``warped`` in place by the fraction of each output pixel inside the crop's square.

    The fraction is separable (rows times columns) and below 1 only in a few edge rows and columns.
    """
    def along(a: float, b: float, start: int, stop: int) -> np.ndarray:
        centre = a * np.arange(start, stop, dtype=np.float64) + b           # crop coordinate of each pixel centre
        lo, hi = centre - a / 2, centre + a / 2                              # the pixel's footprint in crop pixels
        return (np.clip(np.minimum(hi, size - 0.5) - np.maximum(lo, -0.5), 0.0, None) / a).astype(np.float32)

    rows, columns = along(warp[1, 1], warp[1, 2], v0, v1), along(warp[0, 0], warp[0, 2], u0, u1)
    partial = np.flatnonzero(rows < 1.0)
    warped[partial] *= rows[partial, None, None]
    partial = np.flatnonzero(columns < 1.0)
    warped[:, partial] *= columns[None, partial, None]
