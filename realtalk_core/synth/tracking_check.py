"""How well ``realtalk process`` recovers the synthetic subject's exact ground truth.

Both datasets describe the same video: the synthetic one with exact projections (its crop is
the whole frame), the processed one with MediaPipe's tracking inside its own crop boxes. Both
are mapped to source-video pixels and compared per landmark, in pixels and as a share of the
inter-ocular distance (IOD); blendshapes are compared by correlation over time, channel by name.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..process.dataset import Dataset
from ..schema.channels import ARKIT_BLENDSHAPE_NAMES, LANDMARK_GROUPS

#: Channels whose tracked curve should follow the ground truth.
COMPARED_CHANNELS = ("jawOpen", "eyeBlinkLeft", "eyeBlinkRight", "mouthSmileLeft", "mouthSmileRight",
                     "browInnerUp", "mouthPucker", "mouthFunnel")


def source_pixels(dataset: Dataset) -> np.ndarray:
    """(T, 478, 2) landmarks in source-video pixels, through each frame's crop box."""
    image = dataset.tracks["landmarks_image"][..., :2]
    boxes = dataset.tracks["crop_boxes"]                       # (T, 3): x0, y0, side
    return boxes[:, None, :2] + image * boxes[:, None, 2:3]


def compare(truth: Dataset, tracked: Dataset) -> dict[str, Any]:
    """Landmark and blendshape agreement of ``tracked`` with ``truth`` over their common frames."""
    frames = min(truth.frames, tracked.frames)
    valid = tracked.tracks["valid"][:frames]
    a, b = source_pixels(truth)[:frames][valid], source_pixels(tracked)[:frames][valid]
    errors = np.linalg.norm(a - b, axis=2)                                   # (F, 478)
    left, right = LANDMARK_GROUPS["iris_left"][0], LANDMARK_GROUPS["iris_right"][0]
    iod = np.linalg.norm(a[:, left] - a[:, right], axis=1)                   # (F,)
    relative = errors / iod[:, None]
    groups = {name: float(np.mean(relative[:, list(LANDMARK_GROUPS[name])]))
              for name in ("lips_inner", "lips_outer", "eyes", "brows", "face_oval", "nose")}
    truth_bs, tracked_bs = truth.tracks["blendshapes"][:frames][valid], tracked.tracks["blendshapes"][:frames][valid]
    correlations = {}
    for name in COMPARED_CHANNELS:
        k = ARKIT_BLENDSHAPE_NAMES.index(name)
        x, y = truth_bs[:, k], tracked_bs[:, k]
        correlations[name] = float(np.corrcoef(x, y)[0, 1]) if x.std() > 1e-6 and y.std() > 1e-6 else float("nan")
    return {"frames": int(valid.sum()), "tracked_fraction": float(tracked.tracks["tracked"][:frames].mean()),
            "iod_px": float(iod.mean()), "mean_px": float(errors.mean()), "median_px": float(np.median(errors)),
            "p95_px": float(np.percentile(errors, 95)), "mean_iod": float(relative.mean()),
            "groups_iod": groups, "blendshape_correlation": correlations}
