import numpy as np
import pytest

from realtalk_core.assets.canonical_mesh import load_canonical_mesh
from realtalk_core.generate import DEMO, resolve_subject
from realtalk_core.generate.subject import _angles
from realtalk_core.rig import FaceRig
from realtalk_core.schema.errors import RealtalkError
from realtalk_core.synth.idle import euler_matrix


@pytest.fixture(scope="module")
def rig(task_path):
    return FaceRig.build(load_canonical_mesh(task_path))


def test_demo_is_the_canonical_identity(rig):
    for spec in (None, "", DEMO):
        subject = resolve_subject(spec, rig)
        assert subject.name == DEMO and subject.rig is rig


def test_unknown_subjects_are_one_line(rig, tmp_path):
    with pytest.raises(RealtalkError, match="no such subject"):
        resolve_subject("nobody", rig)
    with pytest.raises(RealtalkError, match="not a subject"):
        resolve_subject(str(tmp_path), rig)


def test_head_angles_invert_the_head_model_convention():
    pitch, yaw, roll = np.array([0.1, -0.2]), np.array([0.05, 0.3]), np.array([-0.02, 0.1])
    got = _angles(euler_matrix(pitch, yaw, roll))
    np.testing.assert_allclose(got, (pitch, yaw, roll), atol=1e-12)
