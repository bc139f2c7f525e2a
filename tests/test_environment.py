"""What `make setup` promises: the pinned stack imports, numpy stays < 2, the tools are on PATH."""

from __future__ import annotations

import importlib.metadata as md
import shutil
import subprocess
import sys

import pytest


def test_numpy_is_1_26_for_bpy():
    assert md.version("numpy").startswith("1.26.")


@pytest.mark.parametrize("dist,version", [("torch", "2.13.0"), ("bpy", "5.0.1"), ("mediapipe", "1.2.2"),
                                          ("PyQt6", "6.11.0")])
def test_pinned_versions(dist, version):
    assert md.version(dist).split("+")[0] == version


def test_heavy_stack_imports_together():
    # One interpreter: the combination is what can break (numpy ABI, opencv vs bpy).
    code = ("import numpy, torch, cv2, mediapipe, librosa, soundfile, kornia, roma, trimesh, imageio_ffmpeg, "
            "pocketsphinx, bpy; from PyQt6 import QtWidgets, QtMultimedia; "
            "print(numpy.__version__, torch.__version__, bpy.app.version_string)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[0].startswith("1.26") and result.stdout.split()[2] == "5.0.1"


def test_pytorch3d_is_not_required():
    with pytest.raises(md.PackageNotFoundError):
        md.version("pytorch3d")


@pytest.mark.parametrize("tool", ["espeak-ng", "sox"])
def test_debian_tools_installed(tool):
    assert shutil.which(tool), f"{tool} missing: run `make setup` as root"


def test_bundled_ffmpeg_has_h264_and_aac():
    import imageio_ffmpeg
    exe = imageio_ffmpeg.get_ffmpeg_exe()
    encoders = subprocess.run([exe, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=60).stdout
    assert "libx264" in encoders and " aac " in encoders
