"""The motion model's output space: named speech blendshape channels plus a lips-together channel.

The VAE predicts neutral speech motion as the rig's own coordinates: the ARKit channels of the
jaw, mouth and tongue (by name, from ``BLENDSHAPE_GROUPS``), so identity never leaks into motion
(the subject's fitted rig turns them into its own landmarks), plus ``lips_together``: the
probability that the lips are sealed on this frame. Closures are a few frames long and a
regression averages them away; a separate channel lets the pipeline seal the lips exactly where
the model hears /p b m/ (``synth.closure.seal_lips``).

Numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..schema.channels import ARKIT_BLENDSHAPE_NAMES, BLENDSHAPE_GROUPS, blendshape_index

SPEECH_CHANNELS: tuple[str, ...] = BLENDSHAPE_GROUPS["jaw"] + BLENDSHAPE_GROUPS["mouth"] + BLENDSHAPE_GROUPS["tongue"]
LIPS_TOGETHER = "lips_together"


@dataclass(frozen=True)
class MotionSpace:
    """Channel names of the model's output (stored in every motion checkpoint)."""

    channels: tuple[str, ...] = SPEECH_CHANNELS

    @property
    def width(self) -> int:
        return len(self.channels)

    def from_blendshapes(self, blendshapes: np.ndarray) -> np.ndarray:
        """(T, 52) ARKit weights -> (T, C) motion channels."""
        return np.asarray(blendshapes, np.float32)[:, blendshape_index(self.channels)]

    def to_blendshapes(self, motion: np.ndarray) -> np.ndarray:
        """(T, C) motion channels -> (T, 52) ARKit weights (other channels 0), clipped to [0, 1]."""
        out = np.zeros((len(motion), len(ARKIT_BLENDSHAPE_NAMES)), np.float32)
        out[:, blendshape_index(self.channels)] = np.clip(motion, 0.0, 1.0)
        return out
