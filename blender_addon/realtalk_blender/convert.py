"""Pure numpy conversions between Take tracks and Blender keyframes (no bpy; unit-tested directly).

The hand-edit rule (see docs/blender.md): the generated Take in the work folder is the *bake*.
Whatever the artist changed on a blendshape curve is ``current - bake`` at each frame, the *edit
layer*. Every new bake (Re-bake Emotion, or Generate again) writes ``new bake + edit layer``,
clipped to [0, 1], so hand edits ride on top of the new emotion instead of being lost.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ._vendor.schema import EMOTION_NAMES

FORMAT_TAG = "realtalk-emotion-curves"


# ---------------------------------------------------------------- head pose
def matrix_to_loc_quat(poses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T, 4, 4) rigid -> location (T, 3) and unit quaternions (T, 4) as (w, x, y, z), sign-continuous."""
    rotation = np.asarray(poses, np.float64)[:, :3, :3]
    m = rotation
    trace = m[:, 0, 0] + m[:, 1, 1] + m[:, 2, 2]
    candidates = np.stack([                                   # (T, 4, 4): one row per pivot choice
        np.stack([1 + trace, m[:, 2, 1] - m[:, 1, 2], m[:, 0, 2] - m[:, 2, 0], m[:, 1, 0] - m[:, 0, 1]], -1),
        np.stack([m[:, 2, 1] - m[:, 1, 2], 1 + m[:, 0, 0] - m[:, 1, 1] - m[:, 2, 2], m[:, 0, 1] + m[:, 1, 0],
                  m[:, 0, 2] + m[:, 2, 0]], -1),
        np.stack([m[:, 0, 2] - m[:, 2, 0], m[:, 0, 1] + m[:, 1, 0], 1 - m[:, 0, 0] + m[:, 1, 1] - m[:, 2, 2],
                  m[:, 1, 2] + m[:, 2, 1]], -1),
        np.stack([m[:, 1, 0] - m[:, 0, 1], m[:, 0, 2] + m[:, 2, 0], m[:, 1, 2] + m[:, 2, 1],
                  1 - m[:, 0, 0] - m[:, 1, 1] + m[:, 2, 2]], -1),
    ], axis=1)
    pivot = np.argmax(np.stack([trace, m[:, 0, 0], m[:, 1, 1], m[:, 2, 2]], -1), axis=1)
    quat = candidates[np.arange(len(m)), pivot]
    quat /= np.linalg.norm(quat, axis=1, keepdims=True)
    for t in range(1, len(quat)):                              # no flips between neighbouring keys
        if np.dot(quat[t], quat[t - 1]) < 0:
            quat[t] = -quat[t]
    return np.asarray(poses, np.float64)[:, :3, 3].copy(), quat


def loc_quat_to_matrix(location: np.ndarray, quat: np.ndarray) -> np.ndarray:
    """location (T, 3) + quaternions (T, 4) (w, x, y, z; normalised here) -> (T, 4, 4) rigid."""
    q = np.asarray(quat, np.float64)
    q = q / np.linalg.norm(q, axis=1, keepdims=True)
    w, x, y, z = q.T
    out = np.zeros((len(q), 4, 4))
    out[:, 0] = np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y), location[:, 0]], -1)
    out[:, 1] = np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x), location[:, 1]], -1)
    out[:, 2] = np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y), location[:, 2]], -1)
    out[:, 3, 3] = 1.0
    return out


# ---------------------------------------------------------------- hand edits
def carry_edits(current: np.ndarray, old_bake: np.ndarray, new_bake: np.ndarray) -> np.ndarray:
    """(T, C) blendshape values: ``new_bake + (current - old_bake)`` on the frames all three share, clipped.

    Frames beyond the old bake (a longer new Take) get the new bake unchanged.
    """
    out = np.asarray(new_bake, np.float64).copy()
    shared = min(len(current), len(old_bake), len(new_bake))
    out[:shared] += np.asarray(current, np.float64)[:shared] - np.asarray(old_bake, np.float64)[:shared]
    return np.clip(out, 0.0, 1.0)


def has_edits(current: np.ndarray, bake: np.ndarray, tolerance: float = 1e-4) -> bool:
    shared = min(len(current), len(bake))
    return bool(np.abs(np.asarray(current)[:shared] - np.asarray(bake)[:shared]).max(initial=0.0) > tolerance)


# ---------------------------------------------------------------- emotion
def preset_keys(name: str, weight: float) -> dict[str, float]:
    """One emotion at ``weight``, the rest neutral: the values keyed for a preset."""
    values = {emotion: 0.0 for emotion in EMOTION_NAMES}
    values["neutral"] = 1.0 - weight if name != "neutral" else 1.0
    values[name] = weight if name != "neutral" else 1.0
    return values


def emotion_curves_json(samples: Mapping[str, tuple[np.ndarray, np.ndarray]],
                        intensity: tuple[np.ndarray, np.ndarray]) -> dict:
    """Per-emotion ``(take frames, values)`` samples -> the emotion-curves document (frames, linear).

    Values are clipped to the format's ranges (weights [0, 1], intensity [0, 2]).
    """
    def keys(frames: np.ndarray, values: np.ndarray, top: float) -> list[list[float]]:
        return [[float(f), float(np.clip(v, 0.0, top))] for f, v in zip(frames, values)]

    return {"format": FORMAT_TAG, "version": 1, "units": "frames", "interpolation": "linear",
            "curves": {name: keys(*samples[name], 1.0) for name in EMOTION_NAMES if name in samples},
            "intensity": keys(*intensity, 2.0)}


def emotion_mix(weights: Mapping[str, np.ndarray], frames: int) -> np.ndarray:
    """Per-frame emotion weights -> the Take's (T, 8) mix: normalised rows, all-zero rows neutral."""
    mix = np.zeros((frames, len(EMOTION_NAMES)))
    for j, name in enumerate(EMOTION_NAMES):
        if name in weights:
            mix[:, j] = np.clip(np.asarray(weights[name], np.float64), 0.0, 1.0)
    total = mix.sum(axis=1, keepdims=True)
    mix = np.divide(mix, total, out=np.zeros_like(mix), where=total > 1e-9)
    mix[total[:, 0] <= 1e-9, EMOTION_NAMES.index("neutral")] = 1.0
    return mix.astype(np.float32)
