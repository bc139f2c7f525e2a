import pytest
import torch

from realtalk_core.training import CheckpointError, load_checkpoint, save_checkpoint


def test_round_trip_carries_config_and_hash(tmp_path):
    path = tmp_path / "m.pt"
    sha = save_checkpoint(path, "motion-vae", {"hidden": 8}, {"w": torch.arange(3.0)}, meta={"seed": 1})
    payload, loaded_sha = load_checkpoint(path, "motion-vae")
    assert loaded_sha == sha and len(sha) == 64
    assert payload["config"] == {"hidden": 8} and payload["meta"] == {"seed": 1}
    assert torch.equal(payload["state"]["w"], torch.arange(3.0))
    assert not list(tmp_path.glob("*.tmp*"))


def test_wrong_kind_missing_and_corrupt_files_give_one_line(tmp_path):
    path = tmp_path / "m.pt"
    save_checkpoint(path, "motion-vae", {}, {"w": torch.zeros(1)})
    with pytest.raises(CheckpointError, match="'motion-vae' checkpoint, but a 'emotion-ldm'"):
        load_checkpoint(path, "emotion-ldm")
    with pytest.raises(CheckpointError, match="no such checkpoint"):
        load_checkpoint(tmp_path / "none.pt", "motion-vae")
    bad = tmp_path / "bad.pt"
    bad.write_bytes(path.read_bytes()[:100])
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(bad, "motion-vae")
    assert "bad.pt" in str(info.value) and "\n" not in str(info.value)
    foreign = tmp_path / "foreign.pt"
    torch.save({"weights": torch.zeros(2)}, foreign)
    with pytest.raises(CheckpointError, match="not a RealTalk checkpoint"):
        load_checkpoint(foreign, "motion-vae")


def test_pickled_objects_are_refused(tmp_path):
    import argparse

    path = tmp_path / "evil.pt"
    torch.save({"format": "realtalk-checkpoint", "version": 1, "kind": "motion-vae", "obj": argparse.Namespace(x=1)}, path)
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        load_checkpoint(path, "motion-vae")
