"""The wired model, untrained: windows are crops of the frame, attention adds up to opacity, the region gates alpha."""

from __future__ import annotations

import json

import pytest
import torch

from realtalk_core.render.model import REGION_SIZE, TalkingHeadModel
from realtalk_core.render.train_config import PRESETS, SubjectTrainConfig, preset


@pytest.fixture(scope="module")
def model() -> TalkingHeadModel:
    """The tiny preset's model, fresh; the head box [-1, 1]^3 sits 3 units in front of the camera."""
    return TalkingHeadModel(preset("tiny").model, torch.Generator().manual_seed(0)).eval()


def _inputs(frames: int = 1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    pose = torch.eye(4).repeat(frames, 1, 1)
    pose[:, 2, 3] = -3.0
    pose[-1, 0, 3] = 0.2                                   # the last frame's head is a little to the side
    return torch.zeros(frames, 478, 3), torch.rand(frames, 52, generator=torch.Generator().manual_seed(0)), pose


@torch.no_grad()
def test_a_window_renders_the_same_pixels_as_the_whole_frame(model):
    inputs = _inputs(2)
    full = model.render(*inputs, 64)
    assert full["rgb"].shape == (2, 3, 64, 64) and full["alpha"].shape == (2, 1, 64, 64)
    assert full["head"].shape == (2, model.config.field.features + 1, 32, 32)
    window = model.render(*inputs, 64, window=(16, 24, 32, 32))
    assert window["rgb"].shape == (2, 3, 32, 32)
    # the head maps are per ray: equal everywhere; the decoder's convolutions see the window's edge, so compare inside
    torch.testing.assert_close(window["head"], full["head"][:, :, 8:24, 12:28], atol=1e-5, rtol=1e-5)
    margin = 10
    torch.testing.assert_close(window["rgb"][..., margin:-margin, margin:-margin],
                               full["rgb"][..., 16 + margin:48 - margin, 24 + margin:56 - margin], atol=1e-5, rtol=1e-5)
    opacity = full["head"][:, -1]
    assert 0.05 < float(opacity.mean()) < 0.95 and (opacity <= 1.0 + 1e-6).all()


@torch.no_grad()
def test_rendering_without_a_generator_is_deterministic_and_with_one_is_jittered(model):
    inputs = _inputs()
    first, second = model.render(*inputs, 32), model.render(*inputs, 32)
    assert all(torch.equal(first[k], second[k]) for k in first)
    jittered = model.render(*inputs, 32, generator=torch.Generator().manual_seed(0))
    assert not torch.equal(jittered["head"], first["head"])


@torch.no_grad()
def test_attention_maps_add_up_to_the_opacity(model):
    out = model.render(*_inputs(), 32, with_attention=True)
    attention = out["attention"]
    assert attention.shape == (1, len(model.token_names), 16, 16)
    torch.testing.assert_close(attention.sum(1), out["head"][:, -1], atol=1e-5, rtol=1e-5)


@torch.no_grad()
def test_alpha_is_zero_wherever_the_person_never_appears(model):
    saved = model.person_region.clone()
    try:
        model.person_region.zero_()
        model.person_region[..., REGION_SIZE // 2:] = 1.0                  # the person only ever in the right half
        alpha = model.render(*_inputs(), 64)["alpha"][0, 0]
        assert (alpha[:, :30] == 0).all() and (alpha[:, 34:] > 0).all()
    finally:
        model.person_region.copy_(saved)


def test_sizes_and_windows_must_be_multiples_of_the_upsample_factor(model):
    with pytest.raises(ValueError, match="multiples"):
        model.render(*_inputs(), 33)
    with pytest.raises(ValueError, match="multiples"):
        model.render(*_inputs(), 32, window=(1, 0, 8, 8))


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_builds_renders_a_window_and_round_trips_its_config(name):
    config = PRESETS[name]()
    assert SubjectTrainConfig.from_json(json.loads(json.dumps(config.to_json()))) == config
    model = TalkingHeadModel(config.model)
    model.box_half.fill_(0.15)
    model.intrinsics.copy_(torch.tensor([1.7, 0.5, 0.5]))
    pose = torch.eye(4)[None]
    pose[0, 2, 3] = -0.6
    with torch.inference_mode():
        out = model.render(torch.zeros(1, 478, 3), torch.zeros(1, 52), pose, 256, window=(96, 96, 32, 32))
    assert out["rgb"].shape == (1, 3, 32, 32) and model.last_samples > 0
