"""Packaging: folder -> module mapping, no generic top-level names, console scripts."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def _package_folders() -> set[str]:
    """Every package folder in the source tree, as its installed dotted name."""
    names = set()
    for module, folder in SETUPTOOLS["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            names.add(".".join([module, *rel.parts]))
    return names


def test_every_package_folder_is_listed():
    assert set(SETUPTOOLS["packages"]) == _package_folders()


def test_mapping_uses_realtalk_names_only():
    assert SETUPTOOLS["package-dir"] == {"realtalk_core": "realtalk_core", "realtalk_headless": "headless",
                                         "realtalk_ui": "ui"}
    assert set(PYPROJECT["project"]["scripts"]) == {"realtalk", "realtalk-render", "realtalk-preview"}


def test_console_scripts_are_installed():
    bindir = Path(sys.executable).parent
    for script in PYPROJECT["project"]["scripts"]:
        assert (bindir / script).is_file(), script


@pytest.mark.slow
def test_built_wheel_installs_only_realtalk_modules(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                             "--quiet", "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("realtalk-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    top = {name.split("/")[0] for name in names}
    assert top == {"realtalk_core", "realtalk_headless", "realtalk_ui", next(t for t in top if t.endswith(".dist-info"))}
    assert "realtalk_core/schema/take.py" in names and "realtalk_headless/__init__.py" in names
    assert not any(n.startswith(("tests/", "ui/", "headless/", "blender_addon/")) for n in names)
    # The shipped weights and the demo subject travel with the package (importlib.resources finds them).
    for data in ("realtalk_core/weights/motion.pt", "realtalk_core/weights/emotion.pt",
                 "realtalk_core/weights/demo_subject/subject.pt", "realtalk_core/weights/demo_subject/background.png"):
        assert data in names, data
