import json

import numpy as np
import pytest

from realtalk_core.cli.main import main
from realtalk_core.motion import MotionModel
from realtalk_core.motion.data import MotionDataError, discover


def test_tiny_preset_trains_a_loadable_checkpoint(tiny_corpus, tmp_path, capsys):
    out = tmp_path / "motion.pt"
    assert main(["train", "motion", str(tiny_corpus), "--out", str(out), "--preset", "tiny", "--progress", "none"]) == 0
    printed = capsys.readouterr().out
    assert "checkpoint:" in printed and "sha256:" in printed
    log = [json.loads(line) for line in out.with_suffix(".log.jsonl").read_text().splitlines()]
    assert log[0]["step"] == 0 and log[-1]["step"] == 19
    assert all(np.isfinite(entry["loss"]) for entry in log)
    model = MotionModel.load(out)
    speech = model.generate(np.zeros((30, 82), np.float32), seed=1)
    assert speech.blendshapes.shape == (30, 52) and np.isfinite(speech.blendshapes).all()
    assert out.with_suffix(".cache.npz").is_file()       # features are cached for the next run
    # only the neutral main Takes and the neutral side of the pairs are learnt from
    from realtalk_core.training import load_checkpoint
    summary = load_checkpoint(out, "motion-vae")[0]["meta"]["summary"]
    neutral_takes = sum(1 for s in discover([tiny_corpus])
                        if "/neutral/" in s.path or "/takes/" in s.path)
    # each Take is learnt as heard clean and in `room_copies` rooms; (with no sequence drawn for
    # validation, the last training one is reused for it)
    heard = 1 + summary["room_copies"]
    assert summary["room_copies"] == 1 and summary["sequences"] % heard == 0
    assert summary["sequences"] // heard <= neutral_takes <= (summary["sequences"] + summary["val_sequences"]) // heard
    assert summary["sequences"] < len(discover([tiny_corpus]))     # emotional Takes were left out


def test_bad_training_data_is_one_line(tmp_path, capsys):
    with pytest.raises(MotionDataError, match="holds no Takes or datasets"):
        discover([tmp_path])
    code = main(["train", "motion", str(tmp_path / "missing"), "--out", str(tmp_path / "m.pt"), "--progress", "none"])
    assert code == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["train", "motion", str(tmp_path), "--out", str(tmp_path / "m.ckpt"), "--progress", "none"]) == 2
    assert main(["train", "motion", str(tmp_path), "--out", str(tmp_path / "m.pt"), "--room-copies", "11",
                 "--progress", "none"]) == 2
    assert "--room-copies must be between 0 and 8" in capsys.readouterr().err
