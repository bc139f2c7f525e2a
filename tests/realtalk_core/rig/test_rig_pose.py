"""Head pose from landmarks, quaternion conversions, and the One-Euro pose smoother."""

from __future__ import annotations

import numpy as np

from realtalk_core.rig.pose import (estimate_poses, matrix_to_quaternion, quaternion_to_matrix, smooth_poses)
from realtalk_core.schema import LANDMARK_GROUPS


def random_rotations(count: int, rng: np.random.Generator, max_deg: float = 180.0) -> np.ndarray:
    axes = rng.normal(size=(count, 3))
    axes /= np.linalg.norm(axes, axis=1, keepdims=True)
    angles = np.radians(rng.uniform(-max_deg, max_deg, count))
    q = np.concatenate([np.cos(angles / 2)[:, None], axes * np.sin(angles / 2)[:, None]], axis=1)
    return quaternion_to_matrix(q)


def angle_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    rel = np.einsum("tji,tjk->tik", a, b)
    return np.degrees(np.arccos(np.clip((np.trace(rel, axis1=1, axis2=2) - 1) / 2, -1, 1)))


def test_quaternion_round_trip_including_half_turns():
    rng = np.random.default_rng(0)
    rot = random_rotations(500, rng)
    rot[0] = np.diag([1.0, -1.0, -1.0])  # exactly 180 degrees
    back = quaternion_to_matrix(matrix_to_quaternion(rot))
    assert np.abs(back - rot).max() < 1e-9


def test_pose_is_recovered_while_expressions_move_the_face(canonical_landmarks):
    rng = np.random.default_rng(1)
    neutral = canonical_landmarks.astype(np.float64)
    frames = 40
    rot = random_rotations(frames, rng, max_deg=35)
    trans = rng.normal([0, 0, -0.6], 0.05, (frames, 3))
    face = np.repeat(neutral[None], frames, axis=0)
    rigid = set(LANDMARK_GROUPS["rigid"])
    moving = [i for g in ("mouth", "eyes", "brows") for i in LANDMARK_GROUPS[g] if i not in rigid]
    face[:, moving] += rng.normal(0, 0.006, (frames, len(moving), 3))   # expressions: up to ~1.5 cm
    face[:, list(rigid)] += rng.normal(0, 5e-4, (frames, len(rigid), 3))  # rigid points barely move
    face += rng.normal(0, 2e-4, face.shape)                               # tracking noise
    observed = np.einsum("tij,tpj->tpi", rot, face) + trans[:, None]
    poses = estimate_poses(observed, neutral)
    assert poses.shape == (frames, 4, 4) and poses.dtype == np.float32
    assert angle_deg(poses[:, :3, :3], rot).max() < 1.0
    assert np.linalg.norm(poses[:, :3, 3] - trans, axis=1).max() < 1e-3
    assert np.allclose(poses[:, 3], [0, 0, 0, 1])


def test_smoothing_removes_jitter_without_lagging_a_real_move():
    rng = np.random.default_rng(2)
    frames, fps = 120, 25.0
    poses = np.repeat(np.eye(4)[None], frames, axis=0)
    poses[:, 2, 3] = -0.6
    poses[60:, 0, 3] = 0.05                                  # the head moves 5 cm sideways at frame 60
    noisy = poses.copy()
    noisy[:, :3, 3] += rng.normal(0, 5e-4, (frames, 3))
    noisy[:, :3, :3] = np.einsum("tij,tjk->tik", random_rotations(frames, rng, max_deg=0.4), noisy[:, :3, :3])
    smooth = smooth_poses(noisy, fps).astype(np.float64)

    def jitter(seq: np.ndarray) -> float:
        still = seq[5:55]
        return np.abs(np.diff(still[:, :3, 3], n=2, axis=0)).mean() + np.abs(np.diff(still[:, :3, :3], n=2, axis=0)).mean()

    assert jitter(smooth) < jitter(noisy) / 3
    # After the step, the smoothed head is 90% of the way there within 3 frames.
    assert smooth[62, 0, 3] > 0.045
    rot = smooth[:, :3, :3]
    assert np.abs(np.einsum("tji,tjk->tik", rot, rot) - np.eye(3)).max() < 1e-5  # still rigid
