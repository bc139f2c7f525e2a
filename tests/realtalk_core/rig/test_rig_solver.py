"""The bounded least-squares solver on a synthetic basis, against scipy's lsq_linear and on round trips.

The basis is random (no opposing channels), so the opposing-pairs pass is turned off here;
the solver on the real rig is tested in test_rig_round_trip.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import lsq_linear

from realtalk_core.rig.solver import BlendshapeSolver, SolverConfig
from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES


def smooth_basis(neutral: np.ndarray, seed: int = 0) -> np.ndarray:
    """(52, 478, 3) localized, overlapping displacement fields (about 5 mm peaks), like a rig's."""
    rng = np.random.default_rng(seed)
    centres = neutral[rng.choice(478, size=26, replace=False)]
    deltas = np.zeros((52, 478, 3))
    for k in range(52):
        centre = centres[k // 2] + rng.normal(0, 0.004, 3)  # pairs of channels share a region
        falloff = np.exp(-np.sum((neutral - centre) ** 2, axis=1) / (2 * 0.012 ** 2))
        direction = rng.normal(size=3)
        deltas[k] = 0.005 * falloff[:, None] * direction / np.linalg.norm(direction)
    return deltas


def sparse_weights(frames: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    weights = rng.uniform(0, 1, (frames, 52)) * (rng.uniform(size=(frames, 52)) < 0.3)
    weights[rng.uniform(size=(frames, 52)) < 0.03] = 1.0
    return weights


#: No opposing pairs: the synthetic channels have no left/right or up/down partners.
PLAIN = SolverConfig(opposing_pairs=())
#: This basis is far worse conditioned than the face rig's (pairs of channels share a
#: region), so the comparison with scipy runs the iterations to convergence.
CONVERGED = SolverConfig(opposing_pairs=(), iterations=2000, tolerance=1e-9)


@pytest.fixture(scope="module")
def rig(canonical_landmarks):
    neutral = canonical_landmarks.astype(np.float64)
    deltas = smooth_basis(neutral)
    return neutral, deltas, BlendshapeSolver(neutral, deltas, ARKIT_BLENDSHAPE_NAMES, PLAIN)


def test_round_trip_recovers_weights(rig):
    neutral, deltas, solver = rig
    truth = sparse_weights(300)
    landmarks = neutral + np.einsum("tk,kpc->tpc", truth, deltas)
    found = solver.solve(landmarks)
    assert found.shape == (300, 52) and found.dtype == np.float32
    assert np.abs(found - truth).mean() < 0.02
    assert found.min() >= 0.0 and found.max() <= 1.0
    assert solver.residual_error(landmarks, found).max() < 1e-4  # metres


def test_matches_scipy_bounded_least_squares_with_noise(rig, canonical_landmarks):
    neutral, deltas, _ = rig
    solver = BlendshapeSolver(neutral, deltas, ARKIT_BLENDSHAPE_NAMES, CONVERGED)
    rng = np.random.default_rng(3)
    truth = sparse_weights(6, seed=4) * 1.3 - 0.15        # some targets outside [0, 1]: bounds are active
    landmarks = neutral + np.einsum("tk,kpc->tpc", truth, deltas) + rng.normal(0, 2e-4, (6, 478, 3))
    found = solver.solve(landmarks)
    config = CONVERGED
    point_weight = np.ones(478)
    from realtalk_core.schema import LANDMARK_GROUPS
    for group, weight in config.group_weights.items():
        point_weight[list(LANDMARK_GROUPS[group])] = weight
    sqrt_p = np.sqrt(np.repeat(point_weight, 3))
    basis = deltas.reshape(52, -1).T * sqrt_p[:, None]
    for t in range(6):
        target = (landmarks[t] - neutral).reshape(-1) * sqrt_p
        reference = lsq_linear(basis, target, bounds=(0.0, 1.0), method="bvls").x
        assert np.abs(found[t] - reference).max() < 0.02, t
    assert (found == 0).any() and (found == 1).any()      # the bounds were reached, and respected


def test_single_frame_and_long_takes_in_batches(rig):
    neutral, deltas, _ = rig
    solver = BlendshapeSolver(neutral, deltas, ARKIT_BLENDSHAPE_NAMES, SolverConfig(batch=64, opposing_pairs=()))
    truth = sparse_weights(150, seed=9)
    landmarks = neutral + np.einsum("tk,kpc->tpc", truth, deltas)
    batched = solver.solve(landmarks)
    assert np.abs(batched - truth).mean() < 0.02
    assert np.allclose(solver.solve(landmarks[7]), batched[7], atol=1e-6)
    assert solver.solve(np.repeat(neutral[None], 3, axis=0)).max() < 1e-6  # the neutral face is all zeros


def test_shape_errors(rig):
    neutral, deltas, solver = rig
    with pytest.raises(ValueError, match="landmarks must be"):
        solver.solve(np.zeros((2, 468, 3)))
    with pytest.raises(ValueError, match="deltas must be"):
        BlendshapeSolver(neutral, deltas[:10], ARKIT_BLENDSHAPE_NAMES)
