import json

import numpy as np

from realtalk_core.cli.main import main
from realtalk_core.emotion import EmotionModel
from realtalk_core.emotion.data import find_pairs
from realtalk_core.schema.channels import EMOTION_NAMES


def test_pairs_are_found_by_their_neutral_twin(tiny_corpus):
    pairs = find_pairs([tiny_corpus])
    assert {p.emotion for p in pairs} == set(EMOTION_NAMES) - {"neutral"}
    assert all("/neutral/level_1/" in p.neutral for p in pairs)


def test_tiny_preset_trains_and_deforms(tiny_corpus, tmp_path, canonical_landmarks):
    out = tmp_path / "emotion.pt"
    assert main(["train", "emotion", str(tiny_corpus), "--out", str(out), "--preset", "tiny", "--progress", "none"]) == 0
    log = [json.loads(line) for line in out.with_suffix(".log.jsonl").read_text().splitlines()]
    assert all(np.isfinite(entry["loss"]) for entry in log)
    model = EmotionModel.load(out)
    frames = 8
    mix = np.zeros((frames, 8))
    mix[:, EMOTION_NAMES.index("happy")] = 1.0
    landmarks = np.repeat(canonical_landmarks[None], frames, axis=0)
    out_landmarks = model.apply(landmarks, canonical_landmarks, mix, np.ones(frames))
    assert out_landmarks.shape == (frames, 478, 3) and np.isfinite(out_landmarks).all()
    assert np.abs(out_landmarks - landmarks).max() > 0
