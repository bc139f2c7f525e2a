"""Head pose from landmarks, quaternion conversions, and the One-Euro pose smoother."""

from __future__ import annotations

import numpy as np

from realtalk_core.rig.pose import estimate_poses
from realtalk_core.rig.rotations import matrix_to_quaternion, quaternion_to_matrix
from realtalk_core.rig.smoothing import smooth_poses
from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, LANDMARK_GROUPS


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


def test_pose_of_the_posed_rig_with_expressions_active(face_rig, sparse_rig_weights):
    """Rig faces (exact jaw rotation, several channels on) under known head poses: pose within 1 deg, 1 mm."""
    from realtalk_core.rig.pose import apply_head_pose, remove_head_pose
    from realtalk_core.rig.solver import OPPOSING_PAIRS

    rng = np.random.default_rng(5)
    frames = 60
    weights = sparse_rig_weights(frames, rng, OPPOSING_PAIRS, active=(4, 10))
    weights[:, ARKIT_BLENDSHAPE_NAMES.index("jawOpen")] = rng.uniform(0.3, 1.0, frames)   # always open
    rot = random_rotations(frames, rng, max_deg=40)
    poses = np.tile(np.eye(4), (frames, 1, 1))
    poses[:, :3, :3] = rot
    poses[:, :3, 3] = rng.normal([0, 0, -0.6], 0.05, (frames, 3))
    camera = apply_head_pose(face_rig.pose(weights), poses) + rng.normal(0, 2e-4, (frames, 478, 3))
    found = estimate_poses(camera, face_rig.neutral)
    assert angle_deg(found[:, :3, :3].astype(np.float64), rot).max() < 1.0
    assert np.linalg.norm(found[:, :3, 3] - poses[:, :3, 3], axis=1).max() < 1e-3
    # Taking the pose back out returns the head-frame faces.
    head = remove_head_pose(camera, found)
    assert np.abs(head - face_rig.pose(weights)).max() < 3e-3
    assert np.allclose(remove_head_pose(apply_head_pose(face_rig.pose(weights), poses), poses),
                       face_rig.pose(weights))


def test_smoothing_follows_a_head_turn_within_two_frames():
    rng = np.random.default_rng(6)
    frames, fps = 100, 25.0
    yaw = np.where(np.arange(frames) >= 50, np.radians(10.0), 0.0)
    clean = np.tile(np.eye(4), (frames, 1, 1))
    clean[:, :3, :3] = quaternion_to_matrix(np.stack([np.cos(yaw / 2), 0 * yaw, np.sin(yaw / 2), 0 * yaw], 1))
    clean[:, 2, 3] = -0.6
    noisy = clean.copy()
    noisy[:, :3, :3] = np.einsum("tij,tjk->tik", random_rotations(frames, rng, max_deg=0.4), clean[:, :3, :3])
    smooth = smooth_poses(noisy, fps).astype(np.float64)
    err_noisy, err_smooth = angle_deg(noisy[:, :3, :3], clean[:, :3, :3]), angle_deg(smooth[:, :3, :3], clean[:, :3, :3])
    assert err_smooth[10:48].mean() < err_noisy[10:48].mean() / 2      # jitter removed while still
    assert err_smooth[52] < 1.0                                         # 90% of the turn within 2 frames
    assert err_smooth[60:].mean() < err_noisy[60:].mean()
