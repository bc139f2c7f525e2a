"""A subject dataset (``realtalk process`` or ``realtalk synth subject``) as training tensors.

Frames, person masks and the background plate are held as uint8; conditions are the dataset's landmarks
and blendshapes smoothed over neighbouring frames exactly as at render time. The model's fitted buffers
(head box, camera, where the person can be, the condition basis) come from the training split only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch

from ..process.dataset import Dataset, load_dataset
from ..process.masks import MASK_LABELS
from ..schema.channels import LANDMARK_GROUPS
from ..schema.errors import RealtalkError
from ..schema.fileio import sha256_file
from .camera import fit_intrinsics, median_intrinsics
from .condition import smooth_over_time
from .model import REGION_SIZE, TalkingHeadModel

#: Head box around the landmarks, in face widths: x half-width, y below / above, z behind / in front.
BOX_MARGINS = {"x": 0.72, "below": 0.30, "above": 0.60, "behind": 1.45, "front": 0.12}


@dataclass
class SubjectData:
    root: Path
    sha256: str                      #: sha256 of dataset.json (which lists every file's hash)
    size: int
    frames: torch.Tensor             #: (T, H, W, 3) uint8
    person: torch.Tensor             #: (T, H, W) bool
    plate: torch.Tensor              #: (T or 1, H, W, 3) uint8 background seen through each frame's crop
    landmarks: torch.Tensor          #: (T, 478, 3) smoothed
    blendshapes: torch.Tensor        #: (T, 52) smoothed
    head_pose: torch.Tensor          #: (T, 4, 4)
    mouth_boxes: torch.Tensor        #: (T, 4) normalised x0, y0, x1, y1 of the mouth (with margin)
    train: np.ndarray                #: frame indices
    val: np.ndarray
    intrinsics: np.ndarray           #: (T, 3) per-frame fits

    def background(self, index: int) -> torch.Tensor:
        return self.plate[index if len(self.plate) > 1 else 0]


def load_subject_data(root: str | Path, smoothing: tuple[float, ...], progress=None) -> SubjectData:
    """Read everything training needs; one-line errors for datasets that cannot train a subject."""
    dataset = load_dataset(root)
    tracks = dataset.tracks
    train, val = dataset.split("train"), dataset.split("val")
    if len(train) < 8:
        raise RealtalkError(f"{dataset.root}: only {len(train)} valid training frames; process a longer video "
                            "of the subject (a minute or more is best)")
    size = int(dataset.manifest["size"])
    frames = np.zeros((dataset.frames, size, size, 3), np.uint8)
    person = np.zeros((dataset.frames, size, size), bool)
    for i in range(dataset.frames):
        frames[i] = dataset.frame(i)
        person[i] = dataset.mask(i) != MASK_LABELS["background"]
        if progress is not None:
            progress(1)
    plates = _plates(dataset)
    intrinsics = fit_intrinsics(tracks["landmarks"], tracks["head_pose"], tracks["landmarks_image"])
    return SubjectData(
        root=dataset.root, sha256=sha256_file(dataset.root / "dataset.json"), size=size,
        frames=torch.from_numpy(frames), person=torch.from_numpy(person), plate=torch.from_numpy(plates),
        landmarks=torch.from_numpy(smooth_over_time(tracks["landmarks"], smoothing)),
        blendshapes=torch.from_numpy(smooth_over_time(tracks["blendshapes"], smoothing)),
        head_pose=torch.from_numpy(tracks["head_pose"].astype(np.float32)),
        mouth_boxes=torch.from_numpy(mouth_boxes(tracks["landmarks_image"])),
        train=train, val=val, intrinsics=intrinsics)


def _plates(dataset: Dataset) -> np.ndarray:
    boxes = dataset.tracks["crop_boxes"]
    if np.allclose(boxes, boxes[:1]):
        return dataset.background(0)[None]
    return np.stack([dataset.background(i) for i in range(dataset.frames)])


def mouth_boxes(landmarks_image: np.ndarray, margin: float = 0.35) -> np.ndarray:
    mouth = landmarks_image[:, list(LANDMARK_GROUPS["mouth"]), :2]
    lo, hi = mouth.min(1), mouth.max(1)
    pad = (hi - lo) * margin
    return np.concatenate([lo - pad, hi + pad], axis=1).astype(np.float32)


def head_box(landmarks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T, N, 3) head-frame landmarks -> the head box's centre and half extents."""
    lo, hi = landmarks.min((0, 1)), landmarks.max((0, 1))
    width = float(hi[0] - lo[0])
    m = BOX_MARGINS
    low = np.array([0.5 * (lo[0] + hi[0]) - m["x"] * width, lo[1] - m["below"] * width, hi[2] - m["behind"] * width])
    high = np.array([0.5 * (lo[0] + hi[0]) + m["x"] * width, hi[1] + m["above"] * width, hi[2] + m["front"] * width])
    return (low + high) / 2.0, (high - low) / 2.0


@torch.no_grad()
def fit_model_buffers(model: TalkingHeadModel, data: SubjectData) -> None:
    """Fit the model's dataset-derived buffers on the training split."""
    train = data.train
    landmarks = data.landmarks[train].numpy()
    center, half = head_box(landmarks)
    model.box_center.copy_(torch.from_numpy(center).float())
    model.box_half.copy_(torch.from_numpy(half).float())
    camera = median_intrinsics(data.intrinsics[train])
    model.intrinsics.copy_(torch.tensor([camera.focal, camera.cx, camera.cy]))
    model.pose_reference.copy_(data.head_pose[train, :3, 3].median(dim=0).values)
    union = data.person[train].any(dim=0).numpy().astype(np.uint8) * 255
    small = cv2.resize(union, (REGION_SIZE, REGION_SIZE), interpolation=cv2.INTER_AREA)
    grown = cv2.dilate((small > 0).astype(np.uint8), np.ones((5, 5), np.uint8))
    model.person_region.copy_(torch.from_numpy(grown.astype(np.float32))[None, None])
    model.condition.fit(landmarks, data.blendshapes[train].numpy())
