"""`realtalk synth motion`: valid Takes, deterministic for a seed at any worker count, resumable, paired."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from realtalk_core.progress import Progress
from realtalk_core.schema import EMOTION_NAMES, load_take
from realtalk_core.synth.corpus import CORPUS_JSON, MotionCorpusConfig, SynthError, run_motion_corpus
from realtalk_core.synth.takes import read_phones

BIN = Path(sys.executable).parent
QUIET = Progress("none")
SMALL = MotionCorpusConfig(minutes=0.3, seed=5, languages=("en-us", "es", "de"))


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".work" not in p.parts}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, task_path) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "one"
    run_motion_corpus(out, task_path, SMALL, QUIET, workers=1)
    return out


def test_every_take_is_valid_with_phones_and_the_corpus_is_long_enough(corpus):
    manifest = json.loads((corpus / CORPUS_JSON).read_text())
    assert manifest["seconds"] >= 18 and manifest["items"] == len(manifest["records"]) >= 3
    assert set(manifest["languages"]) <= {"en-us", "es", "de"}
    for name in manifest["takes"]:
        take = load_take(corpus / name)
        phones = read_phones(corpus / name)
        assert take.audio is not None and abs(take.duration - phones[-1].end) < 1.5 / take.fps
        assert take.provenance["tool"] == "realtalk synth motion" and take.provenance["text"]
        assert np.allclose(take.tracks.emotion.sum(axis=1), 1.0, atol=1e-5)


def test_same_seed_gives_identical_files_whatever_the_workers(corpus, tmp_path, task_path):
    other = tmp_path / "two"
    run_motion_corpus(other, task_path, SMALL, QUIET, workers=2)
    assert _files(other) == _files(corpus)
    changed = tmp_path / "three"
    run_motion_corpus(changed, task_path, replace(SMALL, seed=6), QUIET, workers=1)
    assert _files(changed) != _files(corpus)


def test_an_interrupted_run_resumes_to_the_same_corpus(corpus, tmp_path, task_path):
    out = tmp_path / "resumed"
    run_motion_corpus(out, task_path, SMALL, QUIET)
    (out / CORPUS_JSON).unlink()                                  # as if killed before the end
    (out / ".work" / "items" / "000001.json").unlink()            # item 1 unfinished
    (out / "takes" / "000001" / "take.json").unlink()
    kept = (out / "takes" / "000000" / "tracks.npz").stat().st_mtime_ns
    run_motion_corpus(out, task_path, SMALL, QUIET)
    assert _files(out) == _files(corpus)
    assert (out / "takes" / "000000" / "tracks.npz").stat().st_mtime_ns == kept   # finished items not redone
    with pytest.raises(SynthError, match="other settings"):
        run_motion_corpus(out, task_path, replace(SMALL, seed=9), QUIET)


def test_paired_items_share_everything_but_the_emotion(tmp_path, task_path):
    config = replace(SMALL, minutes=0.05, pair_share=1.0, languages=("en-us",))
    out = tmp_path / "pairs"
    run_motion_corpus(out, task_path, config, QUIET)
    takes = sorted((out / "pairs").glob("*/*/level_*/000000"))
    assert len(takes) == 1 + 7 * 3                                 # neutral + 7 emotions x 3 levels
    loaded = {t.parent.parent.name + "/" + t.parent.name: load_take(t) for t in takes}
    neutral = loaded["neutral/level_1"]
    for key, take in loaded.items():
        emotion, level = key.split("/")
        assert take.audio.sha256 == neutral.audio.sha256
        assert np.array_equal(take.tracks.head_pose, neutral.tracks.head_pose)
        weight = take.tracks.emotion[:, EMOTION_NAMES.index(emotion)]
        assert np.allclose(weight, {"level_1": 0.33, "level_2": 0.66, "level_3": 1.0}[level]) or emotion == "neutral"
    assert not np.array_equal(loaded["happy/level_3"].tracks.landmarks, neutral.tracks.landmarks)


def test_the_cli_refuses_bad_arguments_in_one_line(tmp_path):
    for args, message in ((["--languages", "xx"], "unknown language 'xx'"), (["--minutes", "0"], "--minutes"),
                          (["--engine", "flite", "--voices", "slt"], "unknown or empty 'slt'"),
                          (["--engine", "flite", "--languages", "es"], "flite speaks American English only")):
        result = subprocess.run([str(BIN / "realtalk"), "synth", "motion", "--out", str(tmp_path / "x"),
                                 "--minutes", "1", *args], capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and message in result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
