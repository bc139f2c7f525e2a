"""Build the Blender extension zip: ``python blender_addon/build.py [--out dist] [--venv-bin .venv/bin]``.

The zip holds ``realtalk_blender/`` (the add-on), plus, under ``realtalk_blender/_vendor/``, copies of
the numpy-only ``realtalk_core.schema`` package and ``realtalk_core.progress`` (Blender's Python has
neither torch nor this project installed), and ``build_info.json`` naming the ``.venv/bin`` whose
``realtalk`` executables the add-on finds by default. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADDON = ROOT / "blender_addon" / "realtalk_blender"
CORE = ROOT / "realtalk_core"
SKIP = ("__pycache__", "_vendor", "build_info.json")


def manifest_version() -> str:
    text = (ADDON / "blender_manifest.toml").read_text(encoding="utf-8")
    match = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit("blender_manifest.toml: no version line")
    return match.group(1)


def core_version() -> str:
    text = (CORE / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__\s*=\s*"([^"]+)"', text).group(1)


def _git_revision() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def stage(target: Path, venv_bin: Path) -> Path:
    """Copy the add-on and its vendored modules into ``target/realtalk_blender``."""
    package = target / "realtalk_blender"
    shutil.copytree(ADDON, package, ignore=shutil.ignore_patterns(*SKIP, "*.pyc"))
    vendor = package / "_vendor"
    shutil.copytree(CORE / "schema", vendor / "schema", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy2(CORE / "progress.py", vendor / "progress.py")
    (vendor / "__init__.py").write_text('"""Copies of realtalk_core.schema and realtalk_core.progress '
                                        '(numpy and the standard library only), made by make addon."""\n',
                                        encoding="utf-8")
    info = {"version": manifest_version(), "git": _git_revision(), "venv_bin": str(venv_bin.resolve())}
    (package / "build_info.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return package


def build(out_dir: Path, venv_bin: Path) -> Path:
    version = manifest_version()
    if version != core_version():
        raise SystemExit(f"blender_manifest.toml version {version} differs from realtalk_core {core_version()}; "
                         "bump them together")
    out_dir.mkdir(parents=True, exist_ok=True)
    zip_path = out_dir / f"realtalk_blender-{version}.zip"
    with tempfile.TemporaryDirectory() as tmp:
        package = stage(Path(tmp), venv_bin)
        partial = zip_path.with_suffix(".zip.partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(package.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(package.parent).as_posix())
        partial.replace(zip_path)
    return zip_path


def install(zip_path: Path, repo_dir: Path, repo_name: str = "realtalk_local"):
    """Install and enable the zip in running Blender (``bpy``) from a local extensions repository at ``repo_dir``;
    returns the add-on's module. For tests and figure scripts; artists use Preferences > Get Extensions."""
    import bpy

    bpy.ops.preferences.extension_repo_add(name=repo_name, type='LOCAL', use_custom_directory=True,
                                           custom_directory=str(repo_dir))
    repo = next(r for r in bpy.context.preferences.extensions.repos if r.name == repo_name)
    if bpy.ops.extensions.package_install_files(filepath=str(zip_path), repo=repo.module,
                                                enable_on_install=True) != {'FINISHED'}:
        raise RuntimeError(f"{zip_path}: Blender did not install it")
    return sys.modules[f"bl_ext.{repo.module}.realtalk_blender"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--venv-bin", type=Path, default=ROOT / ".venv" / "bin",
                        help="folder holding realtalk and realtalk-render (default: the project's .venv/bin)")
    args = parser.parse_args(argv)
    print(build(args.out, args.venv_bin))
    return 0


if __name__ == "__main__":
    sys.exit(main())
