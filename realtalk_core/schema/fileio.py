"""Atomic writes, hashing and take-relative paths. Standard library only."""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

_CHUNK = 1 << 20


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO]:
    """Write to a temporary file beside ``path``, fsync, then rename over ``path``.

    A crash or an exception leaves either the old file or the new one, never half a file;
    the temporary file is removed on failure.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the permissions a normal write would.
        os.chmod(tmp_name, file_mode_for(target))
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def file_mode_for(target: Path) -> int:
    """The existing file's permissions, or 0666 less the process umask for a new file."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def resolve_inside(root: str | os.PathLike[str], relative: str) -> Path:
    """Resolve ``relative`` against ``root``; raise ValueError if it escapes ``root``.

    Absolute paths, ``..`` components and symlinks pointing outside are all refused.
    """
    if not isinstance(relative, str) or not relative or "\x00" in relative:
        raise ValueError("must be a non-empty relative path")
    if os.path.isabs(relative) or relative.startswith(("/", "\\")) or ":" in Path(relative).parts[0]:
        raise ValueError(f"{relative!r} is absolute; paths in a take are relative to the take folder")
    base = Path(root).resolve()
    candidate = (base / relative).resolve()
    if candidate != base and base not in candidate.parents:
        raise ValueError(f"{relative!r} points outside the take folder")
    return candidate
