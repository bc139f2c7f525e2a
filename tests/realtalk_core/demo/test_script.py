"""The demo's emotion arc: neutral, then happy, surprise and sad, each strongest where it says, at varying intensity."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.demo import DEMO_TEXT, demo_curves, peak_times
from realtalk_core.schema.channels import EMOTION_NAMES


@pytest.mark.parametrize("duration", [4.0, 11.5, 30.0])
def test_arc_runs_neutral_happy_surprise_sad(duration):
    fps = 25.0
    frames = int(duration * fps)
    weights, intensity = demo_curves(duration).sample(fps, frames)
    dominant = [EMOTION_NAMES[k] for k in weights.argmax(axis=1)]
    order = [name for k, name in enumerate(dominant) if k == 0 or name != dominant[k - 1]]
    emotional = [name for name in order if name != "neutral"]
    assert order[0] == "neutral" and emotional == ["happy", "surprise", "sad"], order
    peaks = peak_times(duration)
    assert list(peaks) == ["neutral", "happy", "surprise", "sad"]
    assert all(a < b for a, b in zip(list(peaks.values()), list(peaks.values())[1:]))
    for name, seconds in peaks.items():
        frame = min(frames - 1, int(round(seconds * fps)))
        assert dominant[frame] == name, (name, seconds, weights[frame])
    assert np.allclose(weights.sum(axis=1), 1.0, atol=1e-5)
    at_peaks = [intensity[min(frames - 1, int(round(s * fps)))] for s in peaks.values()]
    assert len({round(float(v), 2) for v in at_peaks}) == 4          # the intensity varies along the arc


def test_demo_text_is_our_own_english_sentence():
    words = DEMO_TEXT.split()
    assert 20 <= len(words) <= 40 and "RealTalk" in DEMO_TEXT


def test_bad_duration_is_refused():
    with pytest.raises(ValueError, match="duration"):
        demo_curves(0.0)
