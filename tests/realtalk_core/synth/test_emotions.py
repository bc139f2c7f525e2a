"""Emotion offsets: FACS action units by name, and recognisable from the landmarks on unseen speech."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES
from realtalk_core.synth.curves import EmotionCurve, EmotionKey, constant, random_curve
from realtalk_core.synth.emotions import ACTION_UNITS, EMOTION_AUS, EmotionOffsets
from realtalk_core.synth.performance import perform
from realtalk_core.synth.recognise import LinearDiscriminant, window_features

TRAIN = [("The quiet farmer fixed the broken gate before lunch.", {}),
         ("Seven bright kites rose above the windy hill.", {"variant": "f2"}),
         ("Please bring the map and the warm blue coat.", {"variant": "m3", "rate": 180})]
#: unseen sentences, voices and languages
TEST = [("My neighbour paints old boats every summer.", {"variant": "f4", "pitch": 65}),
        ("El perro de mi vecino duerme bajo la mesa.", {"language": "es", "variant": "m1"}),
        ("Der kleine Junge trinkt kalte Milch am Morgen.", {"language": "de", "variant": "f1"})]


def test_every_emotion_is_its_facs_prototype():
    table = EmotionOffsets.build()
    assert not table.offset("neutral").any()
    assert EMOTION_AUS["happy"][0] == ("AU6", "AU12") and EMOTION_AUS["sad"][0] == ("AU1", "AU4", "AU15")
    assert EMOTION_AUS["angry"][0] == ("AU4", "AU5", "AU7", "AU23")
    assert EMOTION_AUS["fear"][0] == ("AU1", "AU2", "AU4", "AU5", "AU20", "AU26")
    assert EMOTION_AUS["surprise"][0] == ("AU1", "AU2", "AU5", "AU26")
    assert EMOTION_AUS["disgust"][0] == ("AU9", "AU10", "AU15")
    col = {name: i for i, name in enumerate(ARKIT_BLENDSHAPE_NAMES)}
    assert table.offset("happy")[col["mouthSmileLeft"]] > 0.5 and table.offset("happy")[col["cheekSquintRight"]] > 0.5
    contempt = table.offset("contempt")
    assert contempt[col["mouthSmileLeft"]] > 0.3 and contempt[col["mouthSmileRight"]] == 0      # one-sided
    assert contempt[col["mouthDimpleLeft"]] > 0.3 and contempt[col["mouthDimpleRight"]] == 0
    assert table.offset("surprise")[col["jawOpen"]] > 0 and table.offset("happy")[col["jawOpen"]] == 0
    assert set(EMOTION_AUS) == set(EMOTION_NAMES)
    assert all(set(channels) <= set(ARKIT_BLENDSHAPE_NAMES) for channels in ACTION_UNITS.values())


def test_emotion_curves_hold_ease_and_sum_to_one():
    curve = EmotionCurve((EmotionKey(1.0, "happy", 0.5), EmotionKey(3.0, "sad", 1.0)))
    mix = curve.sample(np.array([0.0, 1.0, 2.0, 3.0, 9.0]))
    happy, sad, neutral = (EMOTION_NAMES.index(n) for n in ("happy", "sad", "neutral"))
    assert mix[0, happy] == mix[1, happy] == pytest.approx(0.5) and mix[0, neutral] == pytest.approx(0.5)
    assert mix[2, happy] == pytest.approx(0.25) and mix[2, sad] == pytest.approx(0.5)
    assert mix[4, sad] == pytest.approx(1.0)
    assert np.allclose(mix.sum(axis=1), 1.0)
    assert EmotionCurve.from_json(curve.to_json()) == curve
    with pytest.raises(ValueError, match="unknown emotion"):
        EmotionKey(0.0, "joy", 1.0)
    with pytest.raises(ValueError, match="time order"):
        EmotionCurve((EmotionKey(2.0, "happy", 1.0), EmotionKey(1.0, "sad", 1.0)))
    rng = np.random.default_rng(0)
    kinds = {random_curve(rng, 5.0).kind for _ in range(30)}
    assert kinds == {"constant", "ramp", "transition"}


def _features(rig, utterance, split, seed0):
    features, labels = [], []
    for k, (text, voice) in enumerate(split):
        utt = utterance(text, **voice)
        for e, emotion in enumerate(EMOTION_NAMES):
            level = 0.0 if emotion == "neutral" else 0.5 + 0.5 * ((k + e) % 3) / 2   # 0.5, 0.75, 1.0
            perf = perform(rig, utt.phones, utt.samples, utt.sample_rate, constant(emotion, level),
                           seed=seed0 + 97 * k + e)
            windows = window_features(perf.landmarks(rig), rig.neutral, perf.fps, seconds=1.0)
            features.append(windows)
            labels += [emotion] * len(windows)
    return np.concatenate(features), np.array(labels)


def test_a_simple_classifier_recognises_emotions_on_unseen_speech(synth_rig, utterance):
    train_x, train_y = _features(synth_rig, utterance, TRAIN, seed0=0)
    test_x, test_y = _features(synth_rig, utterance, TEST, seed0=10_000)
    classifier = LinearDiscriminant.fit(train_x, train_y)
    accuracy = float((classifier.predict(test_x) == test_y).mean())
    assert len(test_y) >= 8 * 6
    assert accuracy >= 0.95, accuracy
