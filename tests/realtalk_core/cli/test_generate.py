"""`realtalk generate` end to end with the shipped weights, on real speech (CMU ARCTIC a0009)."""

import json
import math
import subprocess

import numpy as np
import pytest
import soundfile

from realtalk_core.assets.store import ARCTIC_A0009_WAV, require
from realtalk_core.cli.main import main
from realtalk_core.generate import LAYERS_NPZ
from realtalk_core.progress import parse_event
from realtalk_core.schema import load_take
from realtalk_core.schema.channels import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES, blendshape_index
from realtalk_core.schema.rig_mesh import RIG_NPZ, load_rig_mesh


@pytest.fixture(scope="module")
def speech():
    return require(ARCTIC_A0009_WAV)


@pytest.fixture(scope="module")
def neutral_take(speech, tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "take"
    assert main(["generate", str(speech), "--out", str(out), "--progress", "none"]) == 0
    return out


def _run(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_real_speech_becomes_a_valid_emotional_take(speech, tmp_path, capsys):
    out, csv = tmp_path / "happy", tmp_path / "happy.csv"
    code, stdout, _ = _run(["generate", str(speech), "--out", str(out), "--emotion", "happy:0.8",
                            "--arkit-csv", str(csv), "--progress", "json"], capsys)
    assert code == 0
    events = [parse_event(line) for line in stdout.splitlines()]
    assert events[-1].event == "done" and {e.data.get("stage") for e in events} >= {"audio", "motion", "emotion"}
    take = load_take(out)
    duration = soundfile.info(str(speech)).duration
    assert take.frame_count == math.ceil(duration * 25 - 1e-9) and take.fps == 25
    assert np.allclose(take.tracks.emotion[:, EMOTION_NAMES.index("happy")], 0.8, atol=1e-6)
    assert take.provenance["motion_model_sha256"] and take.provenance["emotion_model_sha256"]
    assert (out / LAYERS_NPZ).is_file() and take.audio is not None
    # rig.npz: the linear rig by name, whose jawOpen-as-a-shift differs from the Take's hinge rotation only a little
    rig = load_rig_mesh(out)
    weights = {name: take.tracks.blendshapes[:, j] for j, name in enumerate(ARKIT_BLENDSHAPE_NAMES)}
    assert np.abs(rig.evaluate(weights) - take.tracks.landmarks).max() < 0.005
    jaw = take.tracks.blendshapes[:, blendshape_index("jawOpen")[0]]
    assert jaw.max() > 0.15 and jaw.min() < 0.05                 # the mouth opens and closes with speech
    smile = take.tracks.blendshapes[:, blendshape_index(("mouthSmileLeft", "mouthSmileRight"))].mean()
    assert smile > 0.1
    header = csv.read_text().splitlines()[0].split(",")
    assert header[:3] == ["Timecode", "BlendShapeCount", "EyeBlinkLeft"] and len(csv.read_text().splitlines()) == take.frame_count + 1


def test_rebake_changes_only_the_emotion_layer(neutral_take, tmp_path, capsys):
    before = load_take(neutral_take)
    layers = (neutral_take / LAYERS_NPZ).read_bytes()
    out = tmp_path / "sad"
    code, _, err = _run(["generate", "--from-take", str(neutral_take), "--only", "emotion", "--emotion", "sad:1",
                         "--out", str(out), "--progress", "none"], capsys)
    assert code == 0, err
    after = load_take(out)
    assert (out / LAYERS_NPZ).read_bytes() == layers
    assert (out / RIG_NPZ).read_bytes() == (neutral_take / RIG_NPZ).read_bytes()
    np.testing.assert_array_equal(after.tracks.head_pose, before.tracks.head_pose)
    assert np.abs(after.tracks.blendshapes - before.tracks.blendshapes).max() > 0.05
    assert after.tracks.emotion[:, EMOTION_NAMES.index("sad")].min() == pytest.approx(1.0)
    # an in-place re-bake of the (edited) emotion track reproduces the Take, speech untouched
    again = _run(["generate", "--from-take", str(out), "--only", "emotion", "--out", str(out),
                  "--progress", "none"], capsys)
    assert again[0] == 0, again[2]
    np.testing.assert_allclose(load_take(out).tracks.blendshapes, after.tracks.blendshapes, atol=2e-3)
    assert (out / LAYERS_NPZ).read_bytes() == layers


def test_seed_fps_and_compressed_audio(speech, neutral_take, tmp_path, capsys):
    same = tmp_path / "same"
    assert main(["generate", str(speech), "--out", str(same), "--progress", "none"]) == 0
    np.testing.assert_array_equal(load_take(same).tracks.blendshapes, load_take(neutral_take).tracks.blendshapes)
    import imageio_ffmpeg
    m4a = tmp_path / "speech.m4a"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(speech), "-ac", "2", "-ar", "44100",
                    "-c:a", "aac", str(m4a)], check=True)
    out = tmp_path / "m4a30"
    assert main(["generate", str(m4a), "--out", str(out), "--fps", "30", "--seed", "4", "--progress", "none"]) == 0
    take = load_take(out)
    assert take.fps == 30 and abs(take.frame_count - 30 * soundfile.info(str(speech)).duration) <= 2
    assert take.audio.path == "audio.wav"


@pytest.mark.parametrize("problem, expected", [
    ("silent", "silent"), ("short", "too short"), ("missing", "missing.wav"), ("nan", "NaN"),
])
def test_bad_audio_is_one_line(problem, expected, tmp_path, capsys):
    wav = tmp_path / ("missing.wav" if problem == "missing" else f"{problem}.wav")
    if problem == "silent":
        soundfile.write(str(wav), np.zeros(16000), 16000)
    elif problem == "short":
        soundfile.write(str(wav), np.random.default_rng(0).normal(0, 0.1, 1600), 16000)
    elif problem == "nan":
        data = np.random.default_rng(0).normal(0, 0.1, 16000)
        data[100] = np.nan
        soundfile.write(str(wav), data, 16000, subtype="FLOAT")
    code, _, err = _run(["generate", str(wav), "--out", str(tmp_path / "t"), "--progress", "none"], capsys)
    assert code == 2 and expected.lower() in err.lower() and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "t" / "take.json").exists()


def test_clipped_and_offset_audio_still_gives_a_finite_take(tmp_path, capsys):
    rng = np.random.default_rng(1)
    t = np.arange(32000) / 16000
    loud = np.clip(3 * np.sin(2 * np.pi * 180 * t) * (rng.random(len(t)) > 0.3) + 0.2, -1, 1)
    wav = tmp_path / "loud.wav"
    soundfile.write(str(wav), loud, 16000)
    assert main(["generate", str(wav), "--out", str(tmp_path / "t"), "--progress", "none"]) == 0
    take = load_take(tmp_path / "t")
    assert np.isfinite(take.tracks.landmarks).all()
    assert take.provenance["audio_report"]["clipping"] is True


def test_bad_options_are_one_line(speech, neutral_take, tmp_path, capsys):
    curve = tmp_path / "c.json"
    curve.write_text(json.dumps({"format": "realtalk-emotion-curves", "version": 1, "units": "seconds",
                                 "curves": {"happy": [[0, -0.5]]}}))
    bad_ckpt = tmp_path / "bad.pt"
    bad_ckpt.write_bytes(b"not a checkpoint")
    cases = [
        (["--emotion", "joy"], "joy"),
        (["--emotion-curve", str(curve)], "c.json"),
        (["--emotion", "happy", "--emotion-curve", str(curve)], "not both"),
        (["--motion-model", str(bad_ckpt)], "bad.pt"),
        (["--fps", "500"], "--fps"),
    ]
    for extra, expected in cases:
        code, _, err = _run(["generate", str(speech), "--out", str(tmp_path / "x"), "--progress", "none", *extra],
                            capsys)
        assert code == 2 and expected in err and len(err.strip().splitlines()) == 1, (extra, err)
    code, _, err = _run(["generate", str(speech), "--out", str(neutral_take), "--progress", "none"], capsys)
    assert code == 2 and "--overwrite" in err
    code, _, err = _run(["generate", "--from-take", str(tmp_path), "--only", "emotion", "--out", str(tmp_path / "y"),
                         "--progress", "none"], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
