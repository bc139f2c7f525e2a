import numpy as np
import torch

from realtalk_core.emotion import EmotionModel
from realtalk_core.emotion.ldm import EmotionLDM, EmotionLDMConfig
from realtalk_core.schema.channels import EMOTION_NAMES


def _model():
    torch.manual_seed(0)
    ldm = EmotionLDM(EmotionLDMConfig(components=8, hidden=16, blocks=2, embedding=4))
    basis = torch.linalg.qr(torch.randn(478 * 3, 8))[0].T
    ldm.basis.copy_(basis)
    with torch.no_grad():
        ldm.head.weight.mul_(50)
    return EmotionModel(ldm.eval(), "0" * 64)


def _mix(frames, emotion, level):
    mix = np.zeros((frames, 8))
    mix[:, EMOTION_NAMES.index(emotion)] = level
    mix[:, 0] += 1 - mix.sum(axis=1)
    return mix


def test_neutral_and_zero_intensity_leave_landmarks_unchanged(canonical_landmarks):
    model = _model()
    frames = 12
    landmarks = canonical_landmarks[None] + np.random.default_rng(0).normal(0, 1e-3, (frames, 478, 3))
    same = model.apply(landmarks, canonical_landmarks, _mix(frames, "neutral", 0), np.ones(frames))
    np.testing.assert_array_equal(same, landmarks)
    quiet = model.apply(landmarks, canonical_landmarks, _mix(frames, "happy", 1.0), np.zeros(frames))
    np.testing.assert_array_equal(quiet, landmarks)
    happy = model.apply(landmarks, canonical_landmarks, _mix(frames, "happy", 1.0), np.ones(frames))
    assert np.abs(happy - landmarks).max() > 1e-6


def test_intensity_scales_the_emotion_like_its_weight(canonical_landmarks):
    model = _model()
    frames = 10
    landmarks = np.repeat(canonical_landmarks[None], frames, axis=0)
    half_weight = model.apply(landmarks, canonical_landmarks, _mix(frames, "sad", 0.5), np.ones(frames))
    half_intensity = model.apply(landmarks, canonical_landmarks, _mix(frames, "sad", 1.0), np.full(frames, 0.5))
    np.testing.assert_allclose(half_weight, half_intensity, atol=1e-9)


def test_chunks_match_one_pass(canonical_landmarks):
    model = _model()
    frames = 50
    rng = np.random.default_rng(1)
    landmarks = canonical_landmarks[None] + rng.normal(0, 2e-3, (frames, 478, 3))
    mix = _mix(frames, "angry", 0.7)
    whole = model.apply(landmarks, canonical_landmarks, mix, np.ones(frames))
    model.CHUNK, model.CONTEXT = 16, 4
    np.testing.assert_allclose(model.apply(landmarks, canonical_landmarks, mix, np.ones(frames)), whole, atol=1e-6)
