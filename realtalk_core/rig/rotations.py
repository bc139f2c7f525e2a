"""Rotations, vectorised over leading axes: axis-angle (log map) <-> matrix <-> unit quaternion.

Quaternions are (w, x, y, z) with w >= 0 where a choice exists.
"""

from __future__ import annotations

import numpy as np

_SMALL = 1e-12


def skew(v: np.ndarray) -> np.ndarray:
    """(..., 3, 3) cross-product matrices of the vectors (..., 3)."""
    zero = np.zeros(v.shape[:-1])
    x, y, z = v[..., 0], v[..., 1], v[..., 2]
    return np.stack([np.stack([zero, -z, y], -1), np.stack([z, zero, -x], -1),
                     np.stack([-y, x, zero], -1)], -2)


def axis_angle_matrix(rotvec: np.ndarray) -> np.ndarray:
    """(..., 3, 3) rotation matrices of rotation vectors (..., 3) (axis times angle, radians)."""
    rotvec = np.asarray(rotvec, dtype=np.float64)
    angle = np.linalg.norm(rotvec, axis=-1)[..., None, None]
    k = skew(rotvec / np.maximum(angle[..., 0], _SMALL))
    eye = np.broadcast_to(np.eye(3), k.shape)
    return eye + np.sin(angle) * k + (1.0 - np.cos(angle)) * (k @ k)


def matrix_to_quaternion(rot: np.ndarray) -> np.ndarray:
    """(..., 4) unit quaternions (w >= 0) of rotation matrices (..., 3, 3)."""
    rot = np.asarray(rot, dtype=np.float64)
    m = rot.reshape(-1, 3, 3)
    # The largest of the four candidates is the numerically safe one to divide by.
    trace = np.trace(m, axis1=1, axis2=2)
    cand = np.stack([trace, m[:, 0, 0], m[:, 1, 1], m[:, 2, 2]], axis=1)
    best = cand.argmax(axis=1)
    q = np.empty((len(m), 4))
    for case in range(4):
        sel = best == case
        if not sel.any():
            continue
        r = m[sel]
        if case == 0:
            s = 2.0 * np.sqrt(1.0 + trace[sel])
            q[sel] = np.stack([0.25 * s, (r[:, 2, 1] - r[:, 1, 2]) / s,
                               (r[:, 0, 2] - r[:, 2, 0]) / s, (r[:, 1, 0] - r[:, 0, 1]) / s], 1)
        else:
            i = case - 1
            j, k = (i + 1) % 3, (i + 2) % 3
            s = 2.0 * np.sqrt(1.0 + r[:, i, i] - r[:, j, j] - r[:, k, k])
            qv = np.empty((len(r), 4))
            qv[:, 0] = (r[:, k, j] - r[:, j, k]) / s
            qv[:, 1 + i] = 0.25 * s
            qv[:, 1 + j] = (r[:, j, i] + r[:, i, j]) / s
            qv[:, 1 + k] = (r[:, k, i] + r[:, i, k]) / s
            q[sel] = qv
    q *= np.where(q[:, :1] < 0, -1.0, 1.0)
    return (q / np.linalg.norm(q, axis=1, keepdims=True)).reshape(rot.shape[:-2] + (4,))


def quaternion_to_matrix(q: np.ndarray) -> np.ndarray:
    """(..., 3, 3) rotation matrices of (not necessarily unit) quaternions (..., 4)."""
    q = np.asarray(q, dtype=np.float64)
    w, x, y, z = np.moveaxis(q / np.linalg.norm(q, axis=-1, keepdims=True), -1, 0)
    return np.stack([
        np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], -1),
        np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], -1),
        np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], -1),
    ], -2)


def quaternion_multiply(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Hamilton product a * b of quaternions (..., 4)."""
    aw, ax, ay, az = np.moveaxis(a, -1, 0)
    bw, bx, by, bz = np.moveaxis(b, -1, 0)
    return np.stack([aw * bw - ax * bx - ay * by - az * bz, aw * bx + ax * bw + ay * bz - az * by,
                     aw * by - ax * bz + ay * bw + az * bx, aw * bz + ax * by - ay * bx + az * bw], -1)


def quaternion_conjugate(q: np.ndarray) -> np.ndarray:
    """The inverse of unit quaternions (..., 4)."""
    return q * np.array([1.0, -1.0, -1.0, -1.0])


def quaternion_log(q: np.ndarray) -> np.ndarray:
    """(..., 3) rotation vectors of unit quaternions (..., 4), taking the short way round."""
    q = q * np.where(q[..., :1] < 0, -1.0, 1.0)
    vec = q[..., 1:]
    norm = np.linalg.norm(vec, axis=-1, keepdims=True)
    angle = 2.0 * np.arctan2(norm, q[..., :1])
    return vec * np.where(norm > _SMALL, angle / np.maximum(norm, _SMALL), 2.0)


def quaternion_exp(rotvec: np.ndarray) -> np.ndarray:
    """(..., 4) unit quaternions of rotation vectors (..., 3)."""
    angle = np.linalg.norm(rotvec, axis=-1, keepdims=True)
    scale = np.where(angle > _SMALL, np.sin(0.5 * angle) / np.maximum(angle, _SMALL), 0.5)
    return np.concatenate([np.cos(0.5 * angle), rotvec * scale], axis=-1)
