"""Sealed lips: measure the lip gap on landmarks, and close it exactly where speech needs it.

The rig is linear in ``mouthClose`` (only ``jawOpen`` is a hinge rotation), so on a frame that
must show sealed lips the lip-parting channels are released and ``mouthClose`` is solved in
closed form so that the inner lip contours meet, whatever the jaw, emotion or smile is doing.
"""

from __future__ import annotations

import numpy as np

from ..rig import FaceRig
from ..rig.contours import along_x, split_opening
from ..schema.channels import LANDMARK_GROUPS, blendshape_index

#: Channels that part the lips; released on a sealed frame.
LIP_PARTING = ("mouthLowerDownLeft", "mouthLowerDownRight", "mouthUpperUpLeft", "mouthUpperUpRight",
               "mouthFunnel", "tongueOut")


def lip_gap(rig: FaceRig, landmarks: np.ndarray) -> np.ndarray:
    """(...,) largest vertical gap between the inner lips, metres (0 = sealed; negative = pressed)."""
    return lip_gap_about(rig.neutral, landmarks)


def lip_gap_about(neutral: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """:func:`lip_gap` with the lip contours split on a given neutral face instead of a rig's."""
    opening = split_opening(LANDMARK_GROUPS["lips_inner"], neutral)
    landmarks = np.asarray(landmarks)
    flat = landmarks.reshape(-1, *landmarks.shape[-2:])
    gaps = np.array([(face[opening.upper] - along_x(face[opening.lower], face[opening.upper, 0]))[:, 1].max()
                     for face in flat])
    return gaps.reshape(landmarks.shape[:-2])


def _gap_vectors(rig: FaceRig, weights: np.ndarray) -> np.ndarray:
    """(F, U) vertical gaps at the upper inner-lip points, one row per frame."""
    opening = split_opening(LANDMARK_GROUPS["lips_inner"], rig.neutral)
    upper_points, lower_points = np.asarray(opening.upper), np.asarray(opening.lower)
    lips = rig.pose(weights, np.concatenate([upper_points, lower_points]))      # (F, U + L, 3): the lips only
    upper, lower = lips[:, :len(upper_points)], lips[:, len(upper_points):]
    under = np.stack([along_x(low, up[:, 0]) for low, up in zip(lower, upper)])
    return upper[..., 1] - under[..., 1]


def seal_lips(rig: FaceRig, weights: np.ndarray, sealed: np.ndarray, shoulder: float = 0.5) -> np.ndarray:
    """Return a copy of (T, 52) ``weights`` whose ``sealed`` frames (T,) bool show closed lips.

    The frame just before and just after each closure move ``shoulder`` of the way towards the seal,
    so the lips meet and part over a few frames instead of snapping shut for one.
    """
    out = np.array(weights, dtype=np.float64, copy=True)
    sealed = np.asarray(sealed, dtype=bool)
    strength = sealed.astype(np.float64)
    neighbours = np.zeros_like(sealed)
    neighbours[1:] |= sealed[:-1]
    neighbours[:-1] |= sealed[1:]
    strength[neighbours & ~sealed] = shoulder
    frames = np.flatnonzero(strength > 0)
    if len(frames) == 0:
        return out
    closed = out[frames].copy()
    closed[:, blendshape_index(LIP_PARTING)] = 0.0
    close = blendshape_index("mouthClose")[0]
    closed[:, close] = 0.0
    base = _gap_vectors(rig, closed)                      # (F, U) gap with mouthClose = 0
    shifted = closed.copy()
    shifted[:, close] = 1.0
    slope = _gap_vectors(rig, shifted) - base             # (F, U) change per unit of mouthClose
    # least squares over the lip points, then clip to the channel's range
    closed[:, close] = np.clip(-(base * slope).sum(axis=1) / np.maximum((slope * slope).sum(axis=1), 1e-12), 0.0, 1.0)
    share = strength[frames, None]
    out[frames] = (1.0 - share) * out[frames] + share * closed
    return out
