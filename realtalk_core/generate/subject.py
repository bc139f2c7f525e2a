"""Who a generated Take is for: the subject's face rig (identity) and head-motion style.

* ``demo`` (the default): MediaPipe's canonical face, the identity the synthetic demo subject
  and the default models are made with.
* a ``realtalk process`` dataset folder: the rig fitted to that person's calm frames, and the
  head sway measured from their tracked head poses (its spread per axis, and the camera distance).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..rig import FaceRig, fit_rig
from ..schema.errors import RealtalkError
from ..schema.fileio import sha256_file
from ..synth.idle import HeadMotionConfig

DEMO = "demo"


@dataclass(frozen=True)
class SubjectIdentity:
    name: str
    rig: FaceRig
    head: HeadMotionConfig
    sha256: str | None = None
    source: str = "canonical face"


def resolve_subject(spec: str | None, canonical: FaceRig) -> SubjectIdentity:
    """``None`` / ``"demo"`` -> the demo identity; a folder -> that dataset's identity."""
    if spec in (None, "", DEMO):
        return SubjectIdentity(DEMO, canonical, HeadMotionConfig())
    path = Path(spec)
    if (path / "dataset.json").is_file():
        return _from_dataset(path, canonical)
    if path.exists():
        raise RealtalkError(f"--subject {spec}: not a subject; pass `demo` or a dataset folder from "
                            "`realtalk process` (one holding dataset.json)")
    raise RealtalkError(f"--subject {spec}: no such subject or folder; known names: {DEMO}")


def _from_dataset(path: Path, canonical: FaceRig) -> SubjectIdentity:
    from ..process.dataset import load_dataset

    dataset = load_dataset(path)
    valid = dataset.tracks["valid"].astype(bool)
    if valid.sum() < 10:
        raise RealtalkError(f"{path}: fewer than 10 valid frames; process a longer clip of the subject")
    landmarks = dataset.tracks["landmarks"][valid].astype(np.float64)
    amount = np.linalg.norm(landmarks - np.median(landmarks, axis=0), axis=(1, 2))
    calm = landmarks[amount <= np.percentile(amount, 20)]
    rig = fit_rig(canonical, np.median(calm, axis=0)).rig
    poses = dataset.tracks["head_pose"][valid].astype(np.float64)
    pitch, yaw, roll = _angles(poses[:, :3, :3])
    spread = tuple(float(np.degrees(np.std(a))) for a in (pitch, yaw, roll))
    head = replace(HeadMotionConfig(), distance=float(np.clip(-np.median(poses[:, 2, 3]), 0.2, 5.0)),
                   sway_degrees=tuple(float(np.clip(s, 0.3, 10.0)) for s in spread),
                   sway_metres=float(np.clip(np.std(poses[:, :3, 3], axis=0).mean(), 0.0005, 0.05)))
    return SubjectIdentity(path.name, rig, head, sha256_file(path / "dataset.json"), f"dataset {path}")


def _angles(rotations: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(T, 3, 3) R = Rz(roll) Ry(yaw) Rx(pitch) -> pitch, yaw, roll in radians."""
    yaw = np.arcsin(np.clip(-rotations[:, 2, 0], -1.0, 1.0))
    pitch = np.arctan2(rotations[:, 2, 1], rotations[:, 2, 2])
    roll = np.arctan2(rotations[:, 1, 0], rotations[:, 0, 0])
    return pitch, yaw, roll
