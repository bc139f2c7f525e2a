"""Head pose from landmarks, and a lag-free smoother for pose sequences.

``estimate_poses`` fits, per frame, the rigid transform that carries the rig's neutral
face onto observed (camera-space) landmarks, using the ``rigid`` landmark group, which
expressions barely move. It is a weighted Kabsch fit (no scale), batched over frames.

``smooth_poses`` runs a One-Euro filter (Casiez et al. 2012) over translation and over
sign-continuous quaternions: slow drift is smoothed hard, fast moves pass with little lag.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..schema.channels import LANDMARK_GROUPS


def estimate_poses(landmarks: np.ndarray, neutral: np.ndarray, group: str = "rigid") -> np.ndarray:
    """(T, 478, 3) observed landmarks, (478, 3) neutral -> (T, 4, 4) rigid head->camera poses."""
    ids = list(LANDMARK_GROUPS[group])
    src = np.asarray(neutral, np.float64)[ids]                       # (M, 3)
    dst = np.asarray(landmarks, np.float64)[:, ids]                  # (T, M, 3)
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=1)          # (3,), (T, 3)
    cov = np.einsum("mi,tmj->tij", src - src_mean, dst - dst_mean[:, None])  # (T, 3, 3)
    u, _, vt = np.linalg.svd(cov)
    d = np.sign(np.linalg.det(np.einsum("tij,tjk->tik", u, vt)))     # avoid reflections
    fix = np.zeros((len(dst), 3, 3))
    fix[:, 0, 0] = fix[:, 1, 1] = 1.0
    fix[:, 2, 2] = d
    rot = np.einsum("tji,tjk,tlk->til", vt, fix, u)                  # R = V diag(1,1,d) U^T
    poses = np.zeros((len(dst), 4, 4))
    poses[:, :3, :3] = rot
    poses[:, :3, 3] = dst_mean - np.einsum("tij,j->ti", rot, src_mean)
    poses[:, 3, 3] = 1.0
    return poses.astype(np.float32)


def matrix_to_quaternion(rot: np.ndarray) -> np.ndarray:
    """(T, 3, 3) rotations -> (T, 4) unit quaternions (w, x, y, z)."""
    m = np.asarray(rot, np.float64)
    trace = np.trace(m, axis1=1, axis2=2)
    candidates = np.stack([1 + trace, 1 + m[:, 0, 0] - m[:, 1, 1] - m[:, 2, 2],
                           1 - m[:, 0, 0] + m[:, 1, 1] - m[:, 2, 2], 1 - m[:, 0, 0] - m[:, 1, 1] + m[:, 2, 2]], 1)
    best = candidates.argmax(axis=1)                                 # most stable formula per frame
    q = np.zeros((len(m), 4))
    for k in range(4):
        sel = best == k
        s = np.sqrt(np.clip(candidates[sel, k], 1e-12, None)) * 2    # 4 * |component k|
        r = m[sel]
        if k == 0:
            q[sel] = np.stack([s / 4, (r[:, 2, 1] - r[:, 1, 2]) / s, (r[:, 0, 2] - r[:, 2, 0]) / s,
                               (r[:, 1, 0] - r[:, 0, 1]) / s], 1)
        elif k == 1:
            q[sel] = np.stack([(r[:, 2, 1] - r[:, 1, 2]) / s, s / 4, (r[:, 0, 1] + r[:, 1, 0]) / s,
                               (r[:, 0, 2] + r[:, 2, 0]) / s], 1)
        elif k == 2:
            q[sel] = np.stack([(r[:, 0, 2] - r[:, 2, 0]) / s, (r[:, 0, 1] + r[:, 1, 0]) / s, s / 4,
                               (r[:, 1, 2] + r[:, 2, 1]) / s], 1)
        else:
            q[sel] = np.stack([(r[:, 1, 0] - r[:, 0, 1]) / s, (r[:, 0, 2] + r[:, 2, 0]) / s,
                               (r[:, 1, 2] + r[:, 2, 1]) / s, s / 4], 1)
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def quaternion_to_matrix(q: np.ndarray) -> np.ndarray:
    """(T, 4) quaternions (w, x, y, z), normalised here -> (T, 3, 3) rotations."""
    w, x, y, z = (np.asarray(q, np.float64) / np.linalg.norm(q, axis=1, keepdims=True)).T
    return np.stack([
        np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], 1),
        np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], 1),
        np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], 1)], 1)


@dataclass(frozen=True)
class OneEuroConfig:
    """One-Euro filter settings for head pose."""

    #: cutoff (Hz) at rest: lower removes more jitter from a still head
    min_cutoff: float = 1.0
    #: how fast the cutoff opens with speed: higher means less lag on quick moves
    beta_translation: float = 20.0       #: per m/s
    beta_rotation: float = 2.0           #: per quaternion unit/s (about 2 rad/s per unit)
    #: cutoff (Hz) of the speed estimate
    derivative_cutoff: float = 1.0


def _alpha(cutoff: np.ndarray | float, fps: float) -> np.ndarray | float:
    tau = 1.0 / (2.0 * math.pi * cutoff)
    return 1.0 / (1.0 + tau * fps)


def one_euro(signal: np.ndarray, fps: float, min_cutoff: float, beta: float, d_cutoff: float) -> np.ndarray:
    """Filter a (T, C) signal sampled at ``fps``; the speed is the norm over the C channels."""
    x = np.asarray(signal, np.float64)
    out = np.empty_like(x)
    out[0] = x[0]
    speed = np.zeros(x.shape[1])
    for t in range(1, len(x)):
        raw_speed = (x[t] - out[t - 1]) * fps
        speed = speed + _alpha(d_cutoff, fps) * (raw_speed - speed)
        cutoff = min_cutoff + beta * np.linalg.norm(speed)
        out[t] = out[t - 1] + _alpha(cutoff, fps) * (x[t] - out[t - 1])
    return out


def smooth_poses(poses: np.ndarray, fps: float, config: OneEuroConfig | None = None) -> np.ndarray:
    """(T, 4, 4) rigid poses -> (T, 4, 4) smoothed rigid poses."""
    config = config or OneEuroConfig()
    poses = np.asarray(poses, np.float64)
    if len(poses) < 2:
        return poses.astype(np.float32)
    quats = matrix_to_quaternion(poses[:, :3, :3])
    for t in range(1, len(quats)):                                   # q and -q are one rotation
        if np.dot(quats[t], quats[t - 1]) < 0:
            quats[t] = -quats[t]
    smooth_q = one_euro(quats, fps, config.min_cutoff, config.beta_rotation, config.derivative_cutoff)
    smooth_t = one_euro(poses[:, :3, 3], fps, config.min_cutoff, config.beta_translation, config.derivative_cutoff)
    out = np.zeros_like(poses)
    out[:, :3, :3] = quaternion_to_matrix(smooth_q)
    out[:, :3, 3] = smooth_t
    out[:, 3, 3] = 1.0
    return out.astype(np.float32)
