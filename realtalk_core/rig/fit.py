"""Fit the rig to one subject: the subject's neutral face replaces the canonical one.

1. Similarity-align the subject's neutral (478, 3) to the rig's neutral (Umeyama),
   giving ``canonical ~ s R subject + t``.
2. The fitted rig's neutral is the subject's own neutral, in the subject's frame.
3. Each delta keeps its direction in the aligned frame and is scaled by the subject's
   size relative to the canonical face: ``delta_subject = R^T delta / s``. The jaw hinge
   is carried over by the same inverse similarity.

So jawOpen opens a face 10 % larger by 10 % more, and a subject given rotated gets
deltas rotated with it. Pass the neutral in the head frame to keep the rig upright.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..schema.channels import NUM_LANDMARKS
from .face_rig import FaceRig
from .similarity import Similarity, align


@dataclass(frozen=True)
class SubjectFit:
    rig: FaceRig                  #: the rig in the subject's frame, with the subject's neutral
    to_canonical: Similarity      #: subject frame -> the original rig's frame
    residual_m: np.ndarray        #: (478,) distance of each aligned subject landmark to the rig's neutral

    @property
    def size_ratio(self) -> float:
        """Subject size over the original rig's size."""
        return float(1.0 / self.to_canonical.scale)


def fit_rig(rig: FaceRig, subject_neutral: np.ndarray, weights: np.ndarray | None = None) -> SubjectFit:
    """The rig fitted to a subject's neutral landmarks (478, 3); ``weights`` (478,) weigh the alignment."""
    subject = np.asarray(subject_neutral, dtype=np.float64)
    if subject.shape != (NUM_LANDMARKS, 3) or not np.isfinite(subject).all():
        raise ValueError(f"subject neutral must be finite (478, 3) landmarks, got {subject.shape}")
    to_canonical = align(subject, rig.neutral, weights)
    back = to_canonical.inverse()                                          # canonical -> subject
    scale, rotation = float(back.scale), back.rotation
    deltas = scale * np.einsum("ij,cnj->cni", rotation, rig.deltas)        # (52, 478, 3)
    fitted = replace(rig, neutral=subject.copy(), deltas=deltas,
                     hinge=rig.hinge.transformed(scale, rotation, back.translation))
    residual = np.linalg.norm(to_canonical.apply(subject) - rig.neutral, axis=1)
    return SubjectFit(rig=fitted, to_canonical=to_canonical, residual_m=residual)
