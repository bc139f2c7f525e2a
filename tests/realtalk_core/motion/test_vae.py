import numpy as np
import torch

from realtalk_core.audio import AudioFeatureConfig
from realtalk_core.motion import MotionModel, MotionSpace
from realtalk_core.motion.vae import MotionVAE, MotionVAEConfig, kl_divergence


def _model(stride=4):
    space = MotionSpace()
    config = MotionVAEConfig(feature_width=len(AudioFeatureConfig().names()), motion_width=space.width, hidden=16,
                             encoder_dilations=(1, 2), decoder_dilations=(1,), latent=3, latent_stride=stride)
    torch.manual_seed(0)
    return MotionModel(MotionVAE(config).eval(), space, AudioFeatureConfig(), np.zeros(space.width, np.float32),
                       np.ones(space.width, np.float32), "0" * 64)


def test_shapes_and_training_pass():
    model = _model().model
    audio, motion = torch.randn(2, 82, 37), torch.randn(2, model.config.motion_width, 37)
    predicted, logits, mean, log_var = model(audio, motion)
    assert predicted.shape == motion.shape and logits.shape == (2, 37)
    assert mean.shape == (2, 3, 10) == log_var.shape
    assert float(kl_divergence(mean, log_var).detach()) >= 0


def test_chunked_generation_equals_one_pass_and_seeds_are_reproducible():
    model = _model()
    features = np.random.default_rng(0).normal(size=(300, 82)).astype(np.float32)
    whole = model.generate(features, seed=5, temperature=1.0)
    model.CHUNK, model.CONTEXT = 64, 48           # the receptive field is +-8 frames here
    chunked = model.generate(features, seed=5, temperature=1.0)
    np.testing.assert_allclose(chunked.blendshapes, whole.blendshapes, atol=1e-5)
    np.testing.assert_allclose(chunked.lips_together, whole.lips_together, atol=1e-5)
    other = model.generate(features, seed=6, temperature=1.0)
    assert np.abs(other.blendshapes - whole.blendshapes).max() > 1e-4
    cold = [model.generate(features, seed=s, temperature=0.0).blendshapes for s in (1, 2)]
    np.testing.assert_array_equal(cold[0], cold[1])


def test_output_is_named_blendshapes_in_range():
    out = _model().generate(np.zeros((20, 82), np.float32))
    assert out.blendshapes.shape == (20, 52)
    assert out.blendshapes.min() >= 0 and out.blendshapes.max() <= 1
    from realtalk_core.schema.channels import blendshape_index
    assert np.all(out.blendshapes[:, blendshape_index(("eyeBlinkLeft", "browInnerUp"))] == 0)


def test_a_checkpoint_from_an_older_feature_extractor_is_refused_by_name(tmp_path):
    from dataclasses import asdict

    import pytest

    from realtalk_core.motion.train import KIND
    from realtalk_core.training import CheckpointError, save_checkpoint

    model = _model()
    older = {**AudioFeatureConfig().to_json(), "pitch_window_s": 0.04}
    path = tmp_path / "old.pt"
    save_checkpoint(path, KIND, {"model": asdict(model.model.config)}, model.model.state_dict(),
                    space=list(model.space.channels), features=older,
                    motion_mean=torch.zeros(model.space.width), motion_std=torch.ones(model.space.width))
    with pytest.raises(CheckpointError, match="old.pt: made by an older feature extractor.*retrain"):
        MotionModel.load(path)
