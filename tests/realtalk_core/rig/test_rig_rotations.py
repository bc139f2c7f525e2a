"""Rotation helpers: axis-angle, quaternions, log/exp."""

from __future__ import annotations

import numpy as np

from realtalk_core.rig.rotations import (axis_angle_matrix, matrix_to_quaternion, quaternion_conjugate,
                                         quaternion_exp, quaternion_log, quaternion_multiply,
                                         quaternion_to_matrix)


def test_log_exp_and_matrix_agree():
    rng = np.random.default_rng(0)
    rotvec = rng.normal(size=(200, 3))
    rotvec *= (np.pi * 0.99 * rng.uniform(size=(200, 1))) / np.linalg.norm(rotvec, axis=1, keepdims=True)
    q = quaternion_exp(rotvec)
    assert np.allclose(quaternion_log(q), rotvec)
    assert np.allclose(quaternion_to_matrix(q), axis_angle_matrix(rotvec))
    assert np.allclose(quaternion_log(matrix_to_quaternion(axis_angle_matrix(rotvec))), rotvec)
    assert np.allclose(axis_angle_matrix(np.zeros(3)), np.eye(3))
    # q and -q are one rotation; log takes the short way.
    assert np.allclose(quaternion_log(-q), rotvec)


def test_quaternion_product_composes_rotations():
    rng = np.random.default_rng(1)
    a, b = quaternion_exp(rng.normal(size=(50, 3))), quaternion_exp(rng.normal(size=(50, 3)))
    assert np.allclose(quaternion_to_matrix(quaternion_multiply(a, b)),
                       quaternion_to_matrix(a) @ quaternion_to_matrix(b))
    identity = quaternion_multiply(a, quaternion_conjugate(a))
    assert np.allclose(identity, [1, 0, 0, 0])
