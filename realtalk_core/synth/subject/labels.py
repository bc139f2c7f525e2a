"""Mask labels of the subject renders (as in a realtalk-dataset) and their flat pass colours."""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Label(IntEnum):
    """Pixel labels of ``masks/NNNNNN.png``."""

    BACKGROUND = 0
    PERSON = 1   # head, hair, ears, neck, torso
    FACE = 2     # face skin, lips, eyes, mouth interior


#: Flat colours of the mask pass: one pure channel per label, so decoding is a threshold.
_COLOURS = {Label.BACKGROUND: (0.0, 0.0, 0.0), Label.PERSON: (0.0, 1.0, 0.0), Label.FACE: (1.0, 0.0, 0.0)}


def label_colour(label: Label) -> tuple[float, float, float]:
    """The flat colour that stands for ``label`` in the mask pass."""
    return _COLOURS[label]


def decode_labels(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3+) uint8 mask-pass pixels (alpha ignored) -> (H, W) uint8 labels."""
    rgb = np.asarray(rgb)
    labels = np.zeros(rgb.shape[:2], np.uint8)
    labels[rgb[..., 1] > 127] = Label.PERSON
    labels[rgb[..., 0] > 127] = Label.FACE
    return labels
