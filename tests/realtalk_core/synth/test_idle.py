"""Blinks, gaze and head motion: natural rates and ranges, tied to speech, and seeded."""

from __future__ import annotations

import numpy as np

from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES
from realtalk_core.synth.idle import blink_weights, gaze_weights, head_poses, speech_energy
from realtalk_core.synth.timeline import TimelineConfig, build_timeline

FPS = 25.0


def test_blinks_come_at_a_natural_rate_and_close_the_lids():
    lids = blink_weights(np.random.default_rng(1), int(300 * FPS), FPS)      # five minutes
    closed = lids > 0.9
    onsets = np.flatnonzero(closed[1:] & ~closed[:-1])
    per_minute = len(onsets) / 5
    assert 12 <= per_minute <= 30                                            # a talking adult: about 15-30
    gaps = np.diff(onsets) / FPS
    assert gaps.min() > 0.2 and np.median(gaps) > 1.5
    lengths = np.diff(np.flatnonzero(np.diff(np.r_[0, (lids > 0.1).astype(int), 0])))[::2] / FPS
    assert np.median(lengths) < 0.35                                         # a blink is brief
    assert np.array_equal(lids, blink_weights(np.random.default_rng(1), int(300 * FPS), FPS))


def test_gaze_drifts_a_little_and_both_eyes_look_the_same_way():
    gaze = gaze_weights(np.random.default_rng(2), int(60 * FPS), FPS)
    col = {n: i for i, n in enumerate(ARKIT_BLENDSHAPE_NAMES)}
    assert 0.02 < gaze.max() < 0.5
    left_out, right_in = gaze[:, col["eyeLookOutLeft"]], gaze[:, col["eyeLookInRight"]]
    assert np.array_equal(left_out, right_in)
    assert gaze[:, col["eyeBlinkLeft"]].max() == 0


def test_head_motion_is_smooth_and_grows_with_speech():
    quiet = np.zeros(int(60 * FPS))
    loud = np.ones(int(60 * FPS))
    still, moving = (head_poses(np.random.default_rng(3), e, FPS) for e in (quiet, loud))
    def angles(poses):
        return np.degrees(np.arccos(np.clip((np.trace(poses[:, :3, :3], axis1=1, axis2=2) - 1) / 2, -1, 1)))
    assert angles(moving).std() > 1.3 * angles(still).std()
    step = np.degrees(np.arccos(np.clip((np.einsum("tij,tij->t", moving[1:, :3, :3], moving[:-1, :3, :3]) - 1) / 2,
                                        -1, 1)))
    assert step.max() < 1.5                                                   # no jumps between frames
    assert np.allclose(moving[:, 2, 3].mean(), -0.6, atol=0.02)


def test_speech_energy_is_zero_in_silence_and_high_in_speech():
    rate = 16000
    samples = np.r_[np.zeros(rate), 0.3 * np.sin(np.arange(rate) * 0.2)]
    energy = speech_energy(samples, rate, FPS, 50)
    assert energy[:20].max() < 0.05 and energy[30:].min() > 0.8


def test_the_subject_script_is_deterministic_and_contiguous():
    config = TimelineConfig(minutes=0.1, seed=4)
    a, b = build_timeline(config), build_timeline(config)
    assert np.array_equal(a.samples, b.samples) and a.phones == b.phones and a.clips == b.clips
    assert all(p.end >= p.start for p in a.phones)
    assert all(x.end == y.start for x, y in zip(a.phones, a.phones[1:]))
    assert abs(a.phones[-1].end - a.duration) < 1e-9
    assert all(c.end - c.start >= config.min_clip for c in a.clips)
