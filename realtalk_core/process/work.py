"""The unfinished-run folder ``DATASET/.work``: what makes a killed run resumable.

``state.json`` names the source (sha256) and the settings; a resumed run must match
both. Finished stages leave atomically written ``.npz`` files here, so a restart skips
them. The folder is removed once ``dataset.json`` is written.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ..schema.fileio import atomic_write
from .dataset import FORMAT, MANIFEST
from .errors import ProcessError

WORK = ".work"
STATE = "state.json"


class WorkDir:
    """``DATASET/.work`` of one run."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / WORK

    def prepare(self, state: Mapping[str, Any], overwrite: bool) -> bool:
        """Create or reopen the run; True when resuming. Refuses to clobber anything unexpected."""
        out = self.out
        if (out / MANIFEST).exists():
            if not overwrite:
                raise ProcessError(f"{out}: already holds a finished dataset; pass --overwrite to rebuild it, "
                                   "or choose another --out folder")
            _remove_dataset(out)
        state_path = self.path / STATE
        if state_path.is_file():
            try:
                previous = json.loads(state_path.read_text("utf-8"))
            except (OSError, ValueError):
                previous = None
            if previous == json.loads(json.dumps(dict(state))):          # tuples read back as lists
                return True
            if not overwrite:
                raise ProcessError(f"{out}: holds an unfinished run of another video or other settings; pass "
                                   "--overwrite to start again, or choose another --out folder")
            shutil.rmtree(self.path)
        if out.exists() and any(p.name != WORK for p in out.iterdir()) and not overwrite:
            raise ProcessError(f"{out}: the folder is not empty; choose an empty or new --out folder")
        if out.exists() and overwrite:
            _remove_dataset(out)
        self.path.mkdir(parents=True, exist_ok=True)
        with atomic_write(state_path, "w") as handle:
            json.dump(dict(state), handle, indent=1)
        return False

    def has(self, name: str) -> bool:
        return (self.path / name).is_file()

    def save(self, name: str, arrays: Mapping[str, np.ndarray]) -> None:
        buffer = io.BytesIO()
        np.savez(buffer, **{key: np.asarray(value) for key, value in arrays.items()})
        with atomic_write(self.path / name) as handle:
            handle.write(buffer.getvalue())

    def load(self, name: str) -> dict[str, np.ndarray]:
        """Our own intermediate file: plain numeric arrays, never pickles."""
        with np.load(self.path / name, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _remove_dataset(out: Path) -> None:
    """Remove what a previous run of ``realtalk process`` wrote (only its own names)."""
    from .dataset import AUDIO, BACKGROUND, BACKGROUND_SEEN, FRAMES_DIR, MASKS_DIR, TRACKS

    manifest = out / MANIFEST
    if manifest.exists():
        try:
            if json.loads(manifest.read_text("utf-8")).get("format") != FORMAT:
                raise ValueError
        except (OSError, ValueError):
            raise ProcessError(f"{manifest}: not a realtalk dataset; refusing to overwrite it") from None
    for name in (MANIFEST, TRACKS, BACKGROUND, BACKGROUND_SEEN, AUDIO):
        (out / name).unlink(missing_ok=True)
    for name in (FRAMES_DIR, MASKS_DIR, WORK):
        shutil.rmtree(out / name, ignore_errors=True)
