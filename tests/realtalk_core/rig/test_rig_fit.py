"""Similarity alignment and fitting the rig to a subject's neutral face."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.rig import BlendshapeSolver, align, fit_rig
from realtalk_core.rig.rotations import axis_angle_matrix
from realtalk_core.rig.solver import OPPOSING_PAIRS
from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES


def test_align_recovers_a_known_similarity_even_with_outliers_weighted_out(canonical_landmarks):
    rng = np.random.default_rng(0)
    source = canonical_landmarks.astype(np.float64)
    rotation = axis_angle_matrix(np.array([0.3, -1.2, 0.5]))
    target = 1.17 * source @ rotation.T + np.array([0.02, -0.1, -0.55])
    found = align(source, target)
    assert np.isclose(found.scale, 1.17) and np.allclose(found.rotation, rotation)
    assert np.allclose(found.apply(source), target)
    assert np.allclose(found.inverse().apply(target), source)
    assert np.allclose(found.matrix()[:3, :3], 1.17 * rotation)
    # Wild points with zero weight do not pull the fit.
    spoiled = target.copy()
    spoiled[:40] += rng.normal(0, 0.05, (40, 3))
    weights = np.ones(478)
    weights[:40] = 0.0
    assert np.allclose(align(source, spoiled, weights).rotation, rotation)
    # A mirror image is still fitted by a proper rotation (det +1).
    assert np.isclose(np.linalg.det(align(source, source * [-1, 1, 1]).rotation), 1.0)


def test_batched_rigid_alignment(canonical_landmarks):
    rng = np.random.default_rng(1)
    rotations = axis_angle_matrix(rng.normal(0, 0.5, (10, 3)))
    moved = np.einsum("tij,nj->tni", rotations, canonical_landmarks) + rng.normal(0, 0.1, (10, 1, 3))
    found = align(canonical_landmarks, moved, with_scale=False)
    assert found.rotation.shape == (10, 3, 3) and np.allclose(found.scale, 1.0)
    assert np.allclose(found.rotation, rotations)


@pytest.fixture(scope="module")
def subject(canonical_landmarks):
    """A bigger, turned, shifted face with its own proportions (3 mm of identity noise)."""
    rng = np.random.default_rng(2)
    rotation = axis_angle_matrix(np.array([0.1, 0.4, -0.05]))
    base = canonical_landmarks.astype(np.float64) + rng.normal(0, 0.003, (478, 3))
    return 1.1 * base @ rotation.T + np.array([0.01, 0.02, -0.5]), rotation


def test_fitted_rig_has_the_subject_neutral_and_scaled_moves(face_rig, subject):
    neutral, rotation = subject
    fit = fit_rig(face_rig, neutral)
    assert np.array_equal(fit.rig.neutral, neutral)
    assert abs(fit.size_ratio - 1.1) < 0.01
    assert np.median(fit.residual_m) < 0.005                      # the identity noise, not the pose
    # jawOpen opens the mouth 10% more, along the subject's own (turned) down direction.
    canonical_open = face_rig.delta("jawOpen")[152]
    fitted_open = fit.rig.delta("jawOpen")[152]
    assert np.isclose(np.linalg.norm(fitted_open), 1.1 * np.linalg.norm(canonical_open), rtol=0.01)
    assert np.linalg.norm(fitted_open - 1.1 * rotation @ canonical_open) < 0.02 * np.linalg.norm(canonical_open)
    # Every delta is the canonical one turned and scaled by the fitted similarity ...
    weights = face_rig.weights({"jawOpen": 1.0, "mouthSmileLeft": 0.5})
    back = fit.to_canonical.inverse()                             # canonical -> subject frame
    expected = back.scale * (face_rig.evaluate(weights) - face_rig.neutral) @ back.rotation.T
    assert np.abs((fit.rig.evaluate(weights) - fit.rig.neutral) - expected).max() < 1e-12
    # ... and the exact jaw rotation turns the subject's own points about the carried-over hinge:
    # it differs from the turned canonical move only by the jaw angle times the identity offsets.
    exact = fit.rig.pose(weights) - fit.rig.neutral
    turned = back.scale * (face_rig.pose(weights) - face_rig.neutral) @ back.rotation.T
    offsets = np.linalg.norm(back.apply(face_rig.neutral) - neutral, axis=1).max()
    assert np.abs(exact - turned).max() < fit.rig.hinge.angle_rad * offsets


def test_exact_similarity_subject_gives_an_exactly_transformed_rig(face_rig):
    rotation = axis_angle_matrix(np.array([0.0, 0.3, 0.0]))
    subject = 0.9 * face_rig.neutral @ rotation.T + np.array([0.0, 0.0, -0.4])
    fit = fit_rig(face_rig, subject)
    weights = face_rig.weights({"jawOpen": 0.8, "eyeBlinkLeft": 1.0})
    expected = 0.9 * face_rig.pose(weights) @ rotation.T + np.array([0.0, 0.0, -0.4])
    assert np.allclose(fit.rig.pose(weights), expected, atol=1e-9)


def test_solver_round_trip_on_the_fitted_rig(face_rig, subject, sparse_rig_weights):
    fit = fit_rig(face_rig, subject[0])
    truth = sparse_rig_weights(500, np.random.default_rng(4), OPPOSING_PAIRS)
    found = BlendshapeSolver.for_rig(fit.rig).solve(fit.rig.evaluate(truth))
    error = np.abs(found - truth).mean(axis=0)
    observable = [k for k, n in enumerate(ARKIT_BLENDSHAPE_NAMES) if n not in ("tongueOut", "mouthClose",
                                                                                 "mouthFunnel")]
    assert error[observable].max() < 0.02


def test_fit_refuses_bad_input(face_rig):
    with pytest.raises(ValueError, match="finite"):
        fit_rig(face_rig, np.zeros((468, 3)))
    bad = face_rig.neutral.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="finite"):
        fit_rig(face_rig, bad)
