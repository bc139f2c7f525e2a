"""Head pose from landmarks: a weighted rigid Procrustes (Kabsch) fit of the rigid landmarks.

The rigid landmarks are the schema's ``LANDMARK_GROUPS["rigid"]`` (upper forehead, nose
bridge, temples, inner eye corners), named once there. The rig never moves them
(``FaceRegions`` holds them still in every shape), so the pose they give is unaffected
by expressions. Poses follow the Take's convention: a rigid (4, 4) ``head_pose`` maps
the head frame to camera space, ``p_camera = head_pose @ [p_head, 1]``.

Smoothing pose sequences lives in ``smoothing.py``.
"""

from __future__ import annotations

import numpy as np

from ..schema.channels import LANDMARK_GROUPS, NUM_LANDMARKS
from .similarity import Similarity, align

#: The landmark group head pose is estimated from.
RIGID_GROUP = "rigid"


def rigid_landmarks(group: str = RIGID_GROUP) -> np.ndarray:
    """(K,) sorted ids of the landmarks that expressions do not move."""
    return np.array(sorted(set(LANDMARK_GROUPS[group])))


def estimate_poses(landmarks: np.ndarray, neutral: np.ndarray, group: str = RIGID_GROUP,
                   weights: np.ndarray | None = None) -> np.ndarray:
    """(T, 478, 3) camera-space landmarks, (478, 3) neutral -> (T, 4, 4) float32 rigid head -> camera poses.

    ``weights`` (K,) weigh the group's landmarks (in :func:`rigid_landmarks` order); a
    single (478, 3) frame gives one (4, 4) pose.
    """
    points = np.asarray(landmarks, np.float64)
    if points.ndim == 2:
        return estimate_poses(points[None], neutral, group, weights)[0]
    if points.shape[1:] != (NUM_LANDMARKS, 3):
        raise ValueError(f"landmarks must be (T, 478, 3), got {points.shape}")
    ids = rigid_landmarks(group)
    motion = align(np.asarray(neutral, np.float64)[ids], points[:, ids], weights, with_scale=False)
    return motion.matrix().astype(np.float32)


def remove_head_pose(landmarks: np.ndarray, poses: np.ndarray) -> np.ndarray:
    """(T, 478, 3) camera-space landmarks -> the head frame, given (T, 4, 4) head poses."""
    poses = np.asarray(poses, np.float64)
    rotation, translation = poses[..., :3, :3], poses[..., :3, 3]
    head_to_camera = Similarity(scale=np.ones(rotation.shape[:-2]), rotation=rotation, translation=translation)
    return head_to_camera.inverse().apply(np.asarray(landmarks, np.float64))


def apply_head_pose(head_landmarks: np.ndarray, poses: np.ndarray) -> np.ndarray:
    """(T, 478, 3) head-frame landmarks -> camera space, given (T, 4, 4) head poses."""
    poses = np.asarray(poses, np.float64)
    return np.einsum("tij,tnj->tni", poses[:, :3, :3], head_landmarks) + poses[:, None, :3, 3]
