"""The add-on under the real ``bpy`` module: built with ``blender_addon/build.py``, installed from its zip with
``bpy.ops.extensions.package_install_files`` into a temporary extensions repository, enabled, and used.

Each test starts from an empty scene (``read_homefile(use_empty=True)`` keeps the installed add-on).
A Take generated once per session by the real ``realtalk generate`` backs the tests that need a
performance but not the Generate button itself.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

# Blender's user folders (preferences, extensions) in a temporary directory, never the user's own.
if "bpy" not in sys.modules:
    os.environ.setdefault("BLENDER_USER_RESOURCES", tempfile.mkdtemp(prefix="rt-blender-user-"))
bpy = pytest.importorskip("bpy")

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "blender_addon"))
build = importlib.import_module("build")


def speech(path: Path, text: str = "Hello there, we made this ourselves.") -> Path:
    """Real synthetic speech from espeak-ng (the CLI: a subprocess with an argument list)."""
    subprocess.run(["espeak-ng", "-w", str(path), text], check=True, capture_output=True)
    return path


@pytest.fixture(scope="session")
def addon_zip(tmp_path_factory) -> Path:
    return build.build(tmp_path_factory.mktemp("dist"), BIN)


@pytest.fixture(scope="session")
def addon(addon_zip: Path, tmp_path_factory):
    """The installed, enabled add-on module (``bl_ext.<repo>.realtalk_blender``)."""
    repo_dir = tmp_path_factory.mktemp("extensions")
    module = build.install(addon_zip, repo_dir, "realtalk_tests")
    assert module.__name__ in bpy.context.preferences.addons.keys()
    module.repo_dir = repo_dir / "realtalk_blender"
    return module


@pytest.fixture
def scene(addon, tmp_path):
    """An empty scene at 24 fps with its work folder in tmp_path."""
    bpy.ops.wm.read_homefile(use_empty=True)
    scene = bpy.context.scene
    scene.render.fps, scene.render.fps_base = 24, 1.0
    scene.realtalk.work_dir = str(tmp_path / "work") + "/"
    return scene


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory) -> Path:
    return speech(tmp_path_factory.mktemp("speech") / "speech.wav")


@pytest.fixture(scope="session")
def generated(tmp_path_factory, speech_wav: Path) -> Path:
    """A Take made by ``realtalk generate`` at 24 fps (happy at 0.8), with layers.npz and rig.npz."""
    out = tmp_path_factory.mktemp("generated") / "take"
    subprocess.run([str(BIN / "realtalk"), "generate", str(speech_wav), "--out", str(out), "--fps", "24",
                    "--emotion", "happy:0.8", "--progress", "none"], check=True, capture_output=True)
    return out


def sound_strip(scene, path: Path, frame: int = 10, channel: int = 2):
    editor = scene.sequence_editor_create()
    strip = editor.strips.new_sound("speech", str(path), channel, frame)
    editor.active_strip = strip
    return strip


@pytest.fixture
def performance(addon, scene, generated: Path, speech_wav: Path):
    """The scene with a performance keyed from the session Take at scene frame 10 (what Generate's finish does)."""
    sound_strip(scene, speech_wav, 10)
    folder = addon.sources.work_folder(scene)
    shutil.copytree(generated, folder / addon.pipeline.NEXT)
    addon.pipeline.apply_bake(scene, folder, 10)
    return SimpleNamespace(scene=scene, head=scene.realtalk.head, folder=folder, start=10)


def one_line(error: BaseException) -> str:
    text = str(error)
    assert "Traceback" not in text and len(text.strip().splitlines()) == 1, text
    return text


@pytest.fixture
def helpers():
    return SimpleNamespace(sound_strip=sound_strip, one_line=one_line, speech=speech, bin=BIN,
                           tempdir=tempfile.gettempdir())
