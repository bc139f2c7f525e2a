"""Which frames of a render are finished, so a stopped or sharded render picks up where it was.

Every render process keeps its own status file, ``OUT/status/shard-I-of-N.json``, rewritten atomically after
each frame: the render's identity (Take and subject sha256, size, background, renderer) and, per finished
frame, the sha256 of its PNG and the seconds it took. Processes of one sharded render never write the same
file, so any farm scheduler can run them at once on a shared folder. On ``--resume`` a frame counts as
finished when its PNG exists and still hashes to what a status file recorded; anything else is rendered
again. A folder holding frames of a different Take, subject or setting is refused unless forced.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from realtalk_core.schema.fileio import atomic_write, sha256_file

from .errors import RenderError
from .frames import frame_path

STATUS_DIR = "status"
FORMAT = "realtalk-render-status"


def parse_shard(text: str | None) -> tuple[int, int]:
    """``"I/N"`` (0 <= I < N) -> (I, N); None -> (0, 1)."""
    if text is None:
        return 0, 1
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise RenderError(f"--shard {text!r}: expected I/N, e.g. --shard 0/4 (shards are numbered 0 to N-1)") from None
    if count < 1 or not 0 <= index < count:
        raise RenderError(f"--shard {text}: I must be 0 to N-1 and N at least 1, e.g. --shard 0/{max(count, 1)}")
    return index, count


def shard_frames(frames: range, shard: tuple[int, int]) -> list[int]:
    """The frames shard I of N renders: every N-th frame starting at the I-th (disjoint, balanced, fixed)."""
    index, count = shard
    return list(frames)[index::count]


@dataclass
class Ledger:
    out: Path
    identity: dict[str, Any]
    shard: tuple[int, int]
    done: dict[int, dict[str, Any]] = field(default_factory=dict)     #: finished frames known to any shard
    mine: dict[int, dict[str, Any]] = field(default_factory=dict)     #: what this process's file records

    @property
    def path(self) -> Path:
        index, count = self.shard
        return self.out / STATUS_DIR / f"shard-{index}-of-{count}.json"

    @staticmethod
    def open(out: Path, identity: dict[str, Any], shard: tuple[int, int], resume: bool,
             force: bool) -> "Ledger":
        ledger = Ledger(out, identity, shard)
        for path in sorted((out / STATUS_DIR).glob("shard-*.json")):
            status = _read(path)
            if status["identity"] != identity and not force:
                differs = sorted(k for k in set(identity) | set(status["identity"])
                                 if identity.get(k) != status["identity"].get(k))
                raise RenderError(f"{out}: holds frames rendered with a different {', '.join(differs)} ({path.name}); "
                                  "use another --out, or pass --force to render over them")
            if status["identity"] == identity and resume:
                for number, entry in status["frames"].items():
                    ledger.done[int(number)] = entry
                if path == ledger.path:
                    ledger.mine = {int(n): e for n, e in status["frames"].items()}
        # A killed process can leave a hidden ``.NNNNNN.png.*.tmp`` behind; it is never a frame name, and it is
        # not deleted here because another shard may be writing its own temporary file this very moment.
        return ledger

    def finished(self, frames_dir: Path, number: int) -> bool:
        """The frame's PNG exists and hashes to what was recorded when it was written."""
        entry = self.done.get(number)
        path = frame_path(frames_dir, number)
        return entry is not None and path.is_file() and sha256_file(path) == entry["sha256"]

    def record(self, number: int, sha256: str, seconds: float) -> None:
        """Frame ``number`` was written with this PNG sha256, after ``seconds`` of rendering."""
        entry = {"sha256": sha256, "seconds": round(seconds, 4), "finished": time.strftime("%Y-%m-%dT%H:%M:%S")}
        self.done[number] = self.mine[number] = entry
        self.flush()

    def flush(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        status = {"format": FORMAT, "identity": self.identity, "shard": list(self.shard),
                  "frames": {str(n): e for n, e in sorted(self.mine.items())}}
        with atomic_write(self.path, "w") as handle:
            handle.write(json.dumps(status, indent=1) + "\n")


def _read(path: Path) -> dict[str, Any]:
    try:
        status = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise RenderError(f"{path}: unreadable render status ({err}); delete it to render those frames again") from None
    if not isinstance(status, dict) or status.get("format") != FORMAT or not isinstance(status.get("frames"), dict) \
            or not isinstance(status.get("identity"), dict):
        raise RenderError(f"{path}: not a render status file; delete it to render those frames again")
    return status


def finished_frames(out: Path, identity: dict[str, Any] | None = None) -> dict[int, dict[str, Any]]:
    """Every frame a status file in ``out`` records (only this ``identity``'s, when given), with its shard."""
    merged: dict[int, dict[str, Any]] = {}
    for path in sorted((out / STATUS_DIR).glob("shard-*.json")):
        status = _read(path)
        if identity is not None and status["identity"] != identity:
            continue
        for number, entry in status["frames"].items():
            merged[int(number)] = {**entry, "shard": "/".join(str(v) for v in status["shard"])}
    return dict(sorted(merged.items()))
