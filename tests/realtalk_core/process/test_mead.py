"""`realtalk process mead` on a tiny fake tree with MEAD's exact layout."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from realtalk_core.process import ProcessError, load_dataset
from realtalk_core.process.mead import find_clips

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def mead_root(make_clip, speech_wav, tmp_path_factory) -> Path:
    import imageio_ffmpeg
    root = tmp_path_factory.mktemp("mead")
    video, _, _ = make_clip("camera", kind="camera")
    layout = [("neutral", 1, "001"), ("happy", 3, "001"), ("sad", 1, "002")]
    for emotion, level, sentence in layout:
        target = root / "M003" / "video" / "front" / emotion / f"level_{level}" / f"{sentence}.mp4"
        target.parent.mkdir(parents=True)
        shutil.copy(video, target)
        audio = root / "M003" / "audio" / emotion / f"level_{level}" / f"{sentence}.m4a"
        audio.parent.mkdir(parents=True)
        subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(speech_wav), "-c:a", "aac",
                        str(audio)], check=True)
    (root / "M003" / "video" / "front" / "happy" / "level_3" / "notes.txt").write_text("ignored")
    return root


def test_finds_clips_with_labels(mead_root):
    clips = find_clips(mead_root, "M003")
    assert [(c.emotion, c.level, c.sentence) for c in clips] == [("happy", 3, "001"), ("neutral", 1, "001"),
                                                                    ("sad", 1, "002")]
    assert all(c.audio is not None and c.audio.suffix == ".m4a" for c in clips)
    with pytest.raises(ProcessError, match="speakers found: M003"):
        find_clips(mead_root, "W009")


def test_process_mead_labels_and_pairs(mead_root, tmp_path):
    out = tmp_path / "m003"
    result = subprocess.run([str(BIN / "realtalk"), "process", "mead", str(mead_root), "--speaker", "M003",
                             "--out", str(out), "--size", "128", "--progress", "none"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-800:]
    collection = json.loads((out / "mead.json").read_text())
    by_id = {clip["id"]: clip for clip in collection["clips"]}
    assert set(by_id) == {"happy_level_3_001", "neutral_level_1_001", "sad_level_1_002"}
    assert by_id["happy_level_3_001"]["neutral_pair"] == "neutral_level_1_001"
    assert by_id["sad_level_1_002"]["neutral_pair"] is None                  # no neutral clip of sentence 002
    happy = load_dataset(out / by_id["happy_level_3_001"]["path"])
    assert happy.manifest["labels"] == {"dataset": "MEAD", "speaker": "M003", "emotion": "happy",
                                        "mead_emotion": "happy", "level": 3, "sentence": "001"}
    assert happy.has_audio and happy.manifest["audio"]["source"] == "001.m4a"
    again = subprocess.run([str(BIN / "realtalk"), "process", "mead", str(mead_root), "--speaker", "M003",
                            "--out", str(out), "--progress", "none"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and "--overwrite" in again.stderr
