"""rig.npz: written by name, read back checked; every broken file is one RealtalkError naming it."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, RealtalkError
from realtalk_core.schema.rig_mesh import RIG_NPZ, RigMesh, load_rig_mesh, save_rig_mesh


def _rig(seed: int = 0) -> RigMesh:
    rng = np.random.default_rng(seed)
    return RigMesh(neutral=rng.normal(size=(478, 3)).astype(np.float32),
                   triangles=rng.integers(0, 468, size=(898, 3)).astype(np.int32),
                   deltas={name: rng.normal(size=(478, 3)).astype(np.float32) * 1e-3 for name in ARKIT_BLENDSHAPE_NAMES})


def test_round_trip_by_name(tmp_path):
    rig = _rig()
    save_rig_mesh(rig, tmp_path)
    back = load_rig_mesh(tmp_path)
    np.testing.assert_array_equal(back.neutral, rig.neutral)
    np.testing.assert_array_equal(back.triangles, rig.triangles)
    for name in ARKIT_BLENDSHAPE_NAMES:
        np.testing.assert_array_equal(back.deltas[name], rig.deltas[name])
    out = back.evaluate({"jawOpen": np.array([0.0, 0.5])})
    np.testing.assert_allclose(out[1] - out[0], 0.5 * rig.deltas["jawOpen"], atol=1e-7)


def test_a_rig_missing_a_channel_is_not_written(tmp_path):
    rig = _rig()
    deltas = dict(rig.deltas)
    del deltas["tongueOut"]
    with pytest.raises(ValueError, match="tongueOut"):
        save_rig_mesh(RigMesh(rig.neutral, rig.triangles, deltas), tmp_path)
    assert not (tmp_path / RIG_NPZ).exists()


@pytest.mark.parametrize("damage, needle", [
    ("missing", "missing"),
    ("garbage", "unreadable"),
    ("nan", "NaN"),
    ("index", "triangle indices"),
])
def test_broken_files_are_one_line(tmp_path, damage, needle):
    rig = _rig()
    if damage == "nan":
        rig.neutral[3, 1] = np.nan
    if damage == "index":
        rig.triangles[0, 0] = 470
    if damage != "missing":
        save_rig_mesh(rig, tmp_path)
    if damage == "garbage":
        (tmp_path / RIG_NPZ).write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RealtalkError) as error:
        load_rig_mesh(tmp_path)
    message = str(error.value)
    assert needle in message and RIG_NPZ in message and "realtalk generate" in message
    assert len(message.splitlines()) == 1
