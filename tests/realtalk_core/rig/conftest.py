"""The canonical face rig, built once per session for the rig tests."""

from __future__ import annotations

import pytest

from realtalk_core.assets.canonical_mesh import load_canonical_mesh
from realtalk_core.rig import FaceRig
from realtalk_core.rig.samples import sparse_rig_weights as sparse_rig_weights_impl


@pytest.fixture(scope="session")
def face_rig(task_path) -> FaceRig:
    return FaceRig.build(load_canonical_mesh(task_path))


@pytest.fixture(scope="session")
def sparse_rig_weights():
    """Factory: ``sparse_rig_weights(frames, rng, opposing)`` -> (frames, 52) sparse weights."""
    return sparse_rig_weights_impl


