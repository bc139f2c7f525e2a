"""Random sparse rig performances, for round-trip tests, benchmarks and solver evaluation."""

from __future__ import annotations

import numpy as np

from ..schema.channels import ARKIT_BLENDSHAPE_NAMES
from .solver import OPPOSING_PAIRS


def sparse_rig_weights(frames: int, rng: np.random.Generator,
                       opposing: tuple[tuple[str, str], ...] = OPPOSING_PAIRS,
                       active: tuple[int, int] = (2, 8)) -> np.ndarray:
    """(frames, 52) weights, ARKit order: ``active`` (min, max) channels on per frame, each in [0.1, 1],
    never both channels of an opposing pair (the second of the pair is switched off)."""
    names = list(ARKIT_BLENDSHAPE_NAMES)
    weights = np.zeros((frames, len(names)))
    for frame in range(frames):
        count = rng.integers(*active, endpoint=True)
        chosen = rng.choice(len(names), size=count, replace=False)
        weights[frame, chosen] = rng.uniform(0.1, 1.0, count)
    for a, b in opposing:
        both = (weights[:, names.index(a)] > 0) & (weights[:, names.index(b)] > 0)
        weights[both, names.index(b)] = 0.0
    return weights
