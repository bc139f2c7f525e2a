"""MEAD pairs (`realtalk process mead` collections) for the emotion trainer: lined up in time, own identity."""

from __future__ import annotations

import json

import numpy as np
import pytest

from realtalk_core.audio import AudioFeatureConfig
from realtalk_core.assets.canonical_mesh import load_canonical_mesh
from realtalk_core.cli.main import main
from realtalk_core.emotion.data import EmotionDataError, find_pairs, load_pair
from realtalk_core.emotion.mead_pairs import calm_face, warp_path
from realtalk_core.process.dataset import FORMAT, MANIFEST, TRACK_ARRAYS, TRACKS, VERSION
from realtalk_core.rig import FaceRig
from realtalk_core.schema.channels import EMOTION_NAMES
from realtalk_core.schema.fileio import sha256_file


def _speech(phase: np.ndarray) -> np.ndarray:
    """A mouth that opens and closes with the phase of the sentence: jawOpen (T,)."""
    return 0.25 * (1 - np.cos(2 * np.pi * 3 * phase))


def _features(phase: np.ndarray) -> np.ndarray:
    """(T, 82) audio features that depend only on where in the sentence a frame is."""
    bands = np.arange(82)[None, :]
    return np.sin(2 * np.pi * (3 * phase[:, None] + bands / 82.0)).astype(np.float32)


def _write_clip(root, rig, frames: int, smile: float, valid_share: float = 1.0, scale: float = 1.1):
    """A processed clip: the speaker (the rig's face scaled, as another person's size) saying the sentence."""
    root.mkdir(parents=True)
    phase = np.linspace(0, 1, frames)
    weights = np.zeros((frames, 52))
    weights[:, rig.names.index("jawOpen")] = _speech(phase)
    for side in ("Left", "Right"):
        weights[:, rig.names.index(f"mouthSmile{side}")] = smile
    tracks = {name: np.zeros((frames, *tail), dtype) for name, (dtype, tail) in TRACK_ARRAYS.items()}
    tracks["landmarks"] = (scale * rig.pose(weights)).astype(np.float32)
    tracks["valid"][:] = np.arange(frames) < valid_share * frames
    config = AudioFeatureConfig()
    tracks["audio_features"] = _features(phase)
    np.savez(root / TRACKS, **tracks)
    manifest = {"format": FORMAT, "version": VERSION, "frames": frames, "fps": 25.0, "size": 64, "has_audio": True,
                "audio": {"feature_names": list(config.names()), "feature_config": config.to_json()},
                "split": {"train": [[0, frames]], "val": []}, "files": {TRACKS: sha256_file(root / TRACKS)}}
    (root / MANIFEST).write_text(json.dumps(manifest))


@pytest.fixture(scope="module")
def mead(tmp_path_factory, task_path):
    rig = FaceRig.build(load_canonical_mesh(task_path))
    root = tmp_path_factory.mktemp("mead_collection")
    clips = [("neutral_level_1_001", "neutral", 1, 60, 0.0), ("happy_level_3_001", "happy", 3, 80, 0.7),
             ("happy_level_1_001", "happy", 1, 70, 0.2)]
    for clip_id, _, _, frames, smile in clips:
        _write_clip(root / "clips" / clip_id, rig, frames, smile)
    collection = {"format": "realtalk-mead", "version": 1, "speaker": "M003", "failed": [], "clips": [
        {"id": c, "path": f"clips/{c}", "emotion": e, "level": lv, "sentence": "001", "has_own_audio": True,
         "neutral_pair": None if e == "neutral" else "neutral_level_1_001"} for c, e, lv, _, _ in clips]}
    (root / "mead.json").write_text(json.dumps(collection))
    return root, rig


def test_time_warping_lines_up_the_same_sentence_said_at_two_speeds():
    slow, fast = np.linspace(0, 1, 90), np.linspace(0, 1, 60)
    match = warp_path(_features(fast), _features(slow))
    assert len(match) == 90 and match[0] == 0 and match[-1] == 59 and (np.diff(match) >= 0).all()
    assert np.abs(fast[match] - slow).max() < 0.03                # every slow frame finds its moment


def test_a_mead_pair_is_the_same_speech_moment_neutral_and_emotional(mead):
    root, rig = mead
    pairs = sorted(find_pairs([root]), key=lambda p: p.level)
    assert [(p.emotion, p.level, p.kind, p.speaker) for p in pairs] == [("happy", 1, "mead", "M003"),
                                                                        ("happy", 3, "mead", "M003")]
    neutral, emotional, mix = load_pair(pairs[1], displacement=None)
    assert neutral.shape == emotional.shape == (80, 478 * 3) and mix.shape == (80, len(EMOTION_NAMES))
    assert mix[0, EMOTION_NAMES.index("happy")] == pytest.approx(1.0) and mix[0, 0] == pytest.approx(0.0)
    # after warping, the neutral clip's mouth moves with the emotional clip's (r close to 1) ...
    lips = (np.array([13, 14]) * 3 + 1)
    n_open, e_open = neutral[:, lips[1]] - neutral[:, lips[0]], emotional[:, lips[1]] - emotional[:, lips[0]]
    assert np.corrcoef(n_open, e_open)[0, 1] > 0.95
    # ... and the difference left is the smile, at the mouth corners, in inter-ocular units of this speaker
    corners = np.array([61, 291])
    change = np.linalg.norm((emotional - neutral).reshape(80, 478, 3)[:, corners], axis=-1).mean()
    assert 0.02 < change < 0.5
    weak = load_pair(pairs[0], displacement=None)[2]
    assert weak[0, EMOTION_NAMES.index("happy")] == pytest.approx(0.33)


def test_the_tiny_preset_trains_on_a_mead_collection(mead, tmp_path):
    root, _ = mead
    out = tmp_path / "emotion.pt"
    assert main(["train", "emotion", str(root), "--out", str(out), "--preset", "tiny", "--progress", "none"]) == 0
    from realtalk_core.emotion import EmotionModel
    assert EmotionModel.load(out).sha256


def test_bad_mead_clips_are_named(mead, tmp_path, task_path):
    root, rig = mead
    bad = tmp_path / "bad"
    _write_clip(bad / "clips" / "neutral_level_1_002", rig, 40, 0.0)
    _write_clip(bad / "clips" / "sad_level_2_002", rig, 40, 0.0, valid_share=0.5)
    collection = {"format": "realtalk-mead", "version": 1, "speaker": "M003", "clips": [
        {"id": "sad_level_2_002", "path": "x", "emotion": "sad", "level": 2, "neutral_pair": "neutral_level_1_002"}]}
    (bad / "mead.json").write_text(json.dumps(collection))
    with pytest.raises(EmotionDataError, match="sad_level_2_002: a face was tracked on only 50%"):
        load_pair(find_pairs([bad])[0], displacement=None)
    collection["clips"][0]["neutral_pair"] = "../../etc"
    (bad / "mead.json").write_text(json.dumps(collection))
    with pytest.raises(EmotionDataError, match="is not a MEAD clip id"):
        find_pairs([bad])
    face = calm_face(np.stack([rig.neutral] * 8 + [rig.neutral + 0.01] * 2))
    assert np.allclose(face, rig.neutral)
