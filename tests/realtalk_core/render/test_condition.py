"""The condition space: named groups from the schema, whitened on training frames, smoothed in time."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from realtalk_core.render.condition import ConditionConfig, ConditionSpace, smooth_over_time
from realtalk_core.schema.channels import ARKIT_BLENDSHAPE_NAMES, BLENDSHAPE_GROUPS, LANDMARK_GROUPS


def _frames(count: int, seed: int = 0, scales: tuple[float, ...] = (3e-3, 2.5e-3, 2e-3, 1.5e-3)
            ) -> tuple[np.ndarray, np.ndarray]:
    """Landmarks moving along a few random directions, one per scale (metres), and random blendshapes."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(478, 3)) * 0.05
    modes = rng.normal(size=(len(scales), 478, 3)) * np.asarray(scales)[:, None, None]
    landmarks = base + np.einsum("tm,mnc->tnc", rng.normal(size=(count, len(scales))), modes)
    blendshapes = rng.uniform(0, 1, size=(count, 52)) * rng.uniform(0.01, 1.0, size=52)
    return landmarks.astype(np.float32), blendshapes.astype(np.float32)


def test_group_names_and_sizes_come_from_the_schema():
    config = ConditionConfig()
    sizes = config.group_sizes()
    assert list(sizes) == [f"bs:{g}" for g in config.blendshape_groups] + [f"lm:{g}" for g in config.landmark_groups]
    for group in config.blendshape_groups:
        assert sizes[f"bs:{group}"] == len(BLENDSHAPE_GROUPS[group])
    assert all(sizes[f"lm:{g}"] == config.landmark_components for g in config.landmark_groups)
    # every blendshape feeds exactly one token
    assert sum(sizes[f"bs:{g}"] for g in config.blendshape_groups) == len(ARKIT_BLENDSHAPE_NAMES)


def test_each_blendshape_lands_in_its_named_group_only():
    space = ConditionSpace(ConditionConfig())
    landmarks = torch.zeros(1, 478, 3)
    for name in ("jawOpen", "eyeBlinkLeft", "mouthSmileRight", "browInnerUp", "tongueOut", "noseSneerLeft"):
        blendshapes = torch.zeros(1, 52)
        blendshapes[0, ARKIT_BLENDSHAPE_NAMES.index(name)] = 1.0
        out = space(landmarks, blendshapes)
        lit = [k for k, v in out.items() if k.startswith("bs:") and v.abs().sum() > 0]
        group = next(g for g, names in BLENDSHAPE_GROUPS.items() if name in names)
        assert lit == [f"bs:{group}"]
        assert float(out[f"bs:{group}"][0, BLENDSHAPE_GROUPS[group].index(name)]) == 1.0


def test_each_landmark_group_reads_its_named_points_only():
    config = ConditionConfig()
    space = ConditionSpace(config)
    landmarks, blendshapes = _frames(40)
    space.fit(landmarks, blendshapes)
    moved = torch.from_numpy(landmarks[:1]).clone()
    before = space(moved, torch.from_numpy(blendshapes[:1]))
    moved[0, LANDMARK_GROUPS["irises"][0]] += 0.01                  # move one iris point only
    after = space(moved, torch.from_numpy(blendshapes[:1]))
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    assert changed == {"lm:irises"}


def test_fit_whitens_the_training_frames():
    config = ConditionConfig(landmark_components=4)
    space = ConditionSpace(config)
    landmarks, blendshapes = _frames(300)
    space.fit(landmarks, blendshapes)
    out = space(torch.from_numpy(landmarks), torch.from_numpy(blendshapes))
    for group in config.landmark_groups:
        coefficients = out[f"lm:{group}"].double().numpy()                            # (T, 4)
        np.testing.assert_allclose(coefficients.mean(0), 0.0, atol=1e-3)
        np.testing.assert_allclose(np.cov(coefficients.T), np.eye(4), atol=2e-3)       # unit variance, decorrelated
    scaled = torch.cat([out[f"bs:{g}"] for g in config.blendshape_groups], dim=1).numpy()
    spread = np.concatenate([blendshapes[:, list(map(ARKIT_BLENDSHAPE_NAMES.index, BLENDSHAPE_GROUPS[g]))]
                             for g in config.blendshape_groups], axis=1).std(0)
    np.testing.assert_allclose(scaled.std(0)[spread > 0.05], 1.0, rtol=1e-4)
    assert (scaled.std(0)[spread <= 0.05] < 1.0).all()               # barely used channels are not blown up


def test_barely_used_directions_are_not_amplified_and_values_are_bounded():
    config = ConditionConfig(landmark_components=3)
    space = ConditionSpace(config)
    landmarks, blendshapes = _frames(200, scales=(3e-3, 2e-3, 3e-6))              # the third direction: 3 um
    space.fit(landmarks, blendshapes)
    out = space(torch.from_numpy(landmarks), torch.from_numpy(blendshapes))
    for group in config.landmark_groups:
        spread = out[f"lm:{group}"].double().numpy().std(0, ddof=1)
        assert spread[0] == pytest.approx(1.0, rel=1e-3) and spread[2] < 0.05, (group, spread)
    # a frame far outside the training range (a millimetre of noise on every point, or a wild pose) stays bounded
    noisy = torch.from_numpy(landmarks[:2]) + 1e-3 * torch.randn(2, 478, 3, generator=torch.Generator().manual_seed(0))
    wild = torch.from_numpy(landmarks[:2]) * 3.0
    for frames in (noisy, wild):
        groups = space(frames, torch.from_numpy(blendshapes[:2]))
        values = torch.cat([v for k, v in groups.items() if k.startswith("lm:")], dim=1)
        assert torch.isfinite(values).all() and float(values.abs().max()) <= 8.0


def test_fit_is_stored_in_buffers_that_a_checkpoint_carries():
    landmarks, blendshapes = _frames(30)
    fitted = ConditionSpace(ConditionConfig())
    fitted.fit(landmarks, blendshapes)
    fresh = ConditionSpace(ConditionConfig())
    fresh.load_state_dict(fitted.state_dict())
    inputs = (torch.from_numpy(landmarks[:3]), torch.from_numpy(blendshapes[:3]))
    assert all(torch.equal(a, b) for a, b in zip(fitted(*inputs).values(), fresh(*inputs).values()))


def test_smoothing_keeps_constants_and_ends_and_spreads_an_impulse():
    constant = np.full((6, 2), 3.0)
    np.testing.assert_allclose(smooth_over_time(constant, (0.15, 0.7, 0.15)), constant, rtol=1e-6)
    impulse = np.zeros(7)
    impulse[3] = 1.0
    smoothed = smooth_over_time(impulse, (1.0, 2.0, 1.0))
    np.testing.assert_allclose(smoothed, [0, 0, 0.25, 0.5, 0.25, 0, 0], atol=1e-7)
    assert smooth_over_time(np.ones((1, 3)), (0.15, 0.7, 0.15)).shape == (1, 3)
