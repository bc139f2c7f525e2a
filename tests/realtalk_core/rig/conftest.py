"""The canonical face rig, built once per session for the rig tests."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.assets.canonical_mesh import load_canonical_mesh
from realtalk_core.rig import FaceRig
from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES


@pytest.fixture(scope="session")
def face_rig(task_path) -> FaceRig:
    return FaceRig.build(load_canonical_mesh(task_path))


@pytest.fixture(scope="session")
def sparse_rig_weights():
    """Factory: ``sparse_rig_weights(frames, rng, opposing)`` -> (frames, 52) sparse weights."""
    return _sparse_rig_weights


def _sparse_rig_weights(frames: int, rng: np.random.Generator, opposing: tuple[tuple[str, str], ...],
                        active: tuple[int, int] = (2, 8)) -> np.ndarray:
    """(frames, 52) weights with a few channels active per frame, never both of an opposing pair."""
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
