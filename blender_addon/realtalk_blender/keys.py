"""Bulk keyframes: write a whole curve at once (``keyframe_points.add`` + ``foreach_set``), read curves back.

Reading evaluates the F-curve at every frame, so whatever an artist did to it (moved, added or
deleted keys, changed handles or interpolation) is what comes back.
"""

from __future__ import annotations

import bpy
import numpy as np

from . import compat

_INTERPOLATION = bpy.types.Keyframe.bl_rna.properties["interpolation"].enum_items


def write_curve(id_data, data_path: str, frames: np.ndarray, values: np.ndarray, index: int = 0,
                interpolation: str = "LINEAR"):
    """Replace the F-curve ``data_path[index]`` of ``id_data`` with keys ``(frames[i], values[i])``."""
    curves = compat.fcurves(id_data, create=True)
    fcurve = curves.find(data_path, index=index)
    if fcurve is not None:
        curves.remove(fcurve)
    fcurve = curves.new(data_path, index=index)
    count = len(frames)
    fcurve.keyframe_points.add(count)
    co = np.empty((count, 2), np.float32)
    co[:, 0] = frames
    co[:, 1] = values
    fcurve.keyframe_points.foreach_set("co", co.ravel())
    fcurve.keyframe_points.foreach_set("interpolation", [_INTERPOLATION[interpolation].value] * count)
    fcurve.update()
    return fcurve


def evaluate(id_data, data_path: str, frames: np.ndarray, default: float, index: int = 0) -> np.ndarray:
    """The curve's values at ``frames`` (the property's static ``default`` when it is not animated)."""
    fcurve = compat.find_fcurve(id_data, data_path, index)
    if fcurve is None:
        return np.full(len(frames), float(default))
    return np.array([fcurve.evaluate(float(f)) for f in frames], np.float64)


def key_range(id_data, data_path: str, index: int = 0) -> tuple[float, float] | None:
    """First and last key frame of a curve, or None when it has no keys."""
    fcurve = compat.find_fcurve(id_data, data_path, index)
    if fcurve is None or not len(fcurve.keyframe_points):
        return None
    return tuple(fcurve.range())
