"""Synthetic performances, judged from the landmarks (never from the blendshapes that made them)."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.schema import EMOTION_NAMES
from realtalk_core.synth.closure import lip_gap
from realtalk_core.synth.coarticulation import segments_of
from realtalk_core.synth.curves import constant, transition
from realtalk_core.synth.performance import perform

MM = 1e-3
SENTENCE = "Bob made a map of a bumpy path by the palm trees, and Pam was happy."


def _perform(rig, utt, curve, seed=3):
    return perform(rig, utt.phones, utt.samples, utt.sample_rate, curve, seed)


def _frames_of(segment, fps, count):
    first, last = int(np.floor(segment.start * fps)), int(np.ceil(segment.end * fps))
    return np.arange(max(first, 0), min(last + 1, count))


@pytest.mark.parametrize("emotion", EMOTION_NAMES)
def test_bilabials_close_the_lips_and_open_vowels_open_the_jaw(synth_rig, utterance, emotion):
    utt = utterance(SENTENCE)
    perf = _perform(synth_rig, utt, constant(emotion, 1.0))
    faces = perf.landmarks(synth_rig)                       # (T, 478, 3) head frame
    gaps = lip_gap(synth_rig, faces)
    chin_drop = synth_rig.neutral[152, 1] - faces[:, 152, 1]
    segments = segments_of(utt.phones)
    bilabials = [s for s in segments if s.closure]
    assert len(bilabials) >= 10
    for seg in bilabials:   # every /p b m/ shows sealed lips on at least one frame around it
        frames = _frames_of(seg, perf.fps, perf.frame_count)
        assert gaps[frames].min() < 1.0 * MM, (emotion, seg)
    opens = [s for s in segments if s.viseme == "aa" and s.duration > 0.07]
    assert len(opens) >= 4
    rest_drop = np.median(chin_drop[perf.sealed])
    for seg in opens:       # every long open vowel drops the chin and parts the lips
        frames = _frames_of(seg, perf.fps, perf.frame_count)
        assert chin_drop[frames].max() > rest_drop + 3.5 * MM, (emotion, seg)
        assert gaps[frames].max() > 6 * MM, (emotion, seg)


def test_spanish_bilabials_close_too(synth_rig, utterance):
    utt = utterance("Mi papá compra pan en el mercado por la mañana.", language="es")
    perf = _perform(synth_rig, utt, constant("surprise", 1.0))
    gaps = lip_gap(synth_rig, perf.landmarks(synth_rig))
    closures = [s for s in segments_of(utt.phones) if s.closure]
    assert len(closures) >= 5
    assert all(gaps[_frames_of(s, perf.fps, perf.frame_count)].min() < 1.0 * MM for s in closures)


def test_rounding_is_anticipated_before_a_rounded_vowel(synth_rig, utterance):
    utt = utterance("she sees two stools", rate=140)
    perf = _perform(synth_rig, utt, constant("neutral", 0.0))
    faces = perf.landmarks(synth_rig)
    width = faces[:, 291, 0] - faces[:, 61, 0]             # mouth width narrows as the lips round
    segs = segments_of(utt.phones)
    u_index = next(i for i, s in enumerate(segs) if s.viseme == "U")
    consonant = segs[u_index - 1]                          # the /t/ of "two"
    mid = int(round(0.5 * (consonant.start + consonant.end) * perf.fps))
    assert segs[u_index - 1].viseme in ("DD", "SS")
    assert width[mid] < width[0] - 1.5 * MM                # already rounding during the consonant


def test_pauses_relax_and_every_frame_is_a_valid_rig_pose(synth_rig, utterance):
    utt = utterance("Yes. ... Now we wait.")
    perf = _perform(synth_rig, utt, constant("neutral", 0.0))
    assert perf.blendshapes.min() >= 0 and perf.blendshapes.max() <= 1
    assert np.isfinite(perf.blendshapes).all() and np.isfinite(perf.head_pose).all()
    jaw = perf.blendshapes[:, list(synth_rig.names).index("jawOpen")]
    pauses = [s for s in segments_of(utt.phones) if s.viseme == "sil" and s.duration > 0.25]
    assert len(pauses) >= 2
    for pause in pauses:    # the jaw settles in every long pause
        assert jaw[int(round((pause.start + pause.end) / 2 * perf.fps))] < 0.05
    assert jaw[-1] < 0.05 and jaw.max() > 0.2


def test_same_seed_same_performance_and_emotion_layers_do_not_touch_the_timing(synth_rig, utterance):
    utt = utterance(SENTENCE)
    a, b = _perform(synth_rig, utt, constant("happy", 0.8)), _perform(synth_rig, utt, constant("happy", 0.8))
    assert np.array_equal(a.blendshapes, b.blendshapes) and np.array_equal(a.head_pose, b.head_pose)
    other = _perform(synth_rig, utt, constant("happy", 0.8), seed=4)
    assert not np.array_equal(a.blendshapes, other.blendshapes)
    sad = _perform(synth_rig, utt, constant("sad", 0.8))
    assert np.array_equal(a.sealed, sad.sealed)             # closures do not depend on the emotion
    assert np.array_equal(a.head_pose, sad.head_pose)       # head and blinks neither: clean pairs


def test_a_transition_moves_smoothly_between_emotions(synth_rig, utterance):
    utt = utterance(SENTENCE)
    middle = utt.duration / 2
    perf = _perform(synth_rig, utt, transition("happy", "sad", middle, 1.0, (1.0, 1.0)))
    happy, sad = EMOTION_NAMES.index("happy"), EMOTION_NAMES.index("sad")
    assert perf.emotion[0, happy] == pytest.approx(1.0) and perf.emotion[-1, sad] == pytest.approx(1.0)
    assert np.allclose(perf.emotion.sum(axis=1), 1.0, atol=1e-5)
    step = np.abs(np.diff(perf.emotion, axis=0)).max()
    assert step < 0.12                                      # no jump: about 1 s of crossfade at 25 fps
