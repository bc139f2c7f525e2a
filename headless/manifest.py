"""``OUT/render.json``: what a render is (Take, subject, resolved settings, software version) and how far it got.

It is written when a render starts and again when it stops, whether it finished, failed or was interrupted
(Ctrl-C), and then lists every finished frame with its PNG sha256, seconds and shard, merged from the
per-process status files in ``OUT/status/`` (those are what ``--resume`` trusts; see :mod:`ledger`). Shards
of one render rewrite it atomically in turn; each rewrite merges all status files present at that moment.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from realtalk_core import __version__
from realtalk_core.schema import atomic_write

from .errors import RenderError
from .ledger import STATUS_DIR, finished_frames

RECORD_NAME = "render.json"
FORMAT = "realtalk-render"


def write_manifest(out: Path, config: dict[str, Any], identity: dict[str, Any], total: int) -> Path:
    """(Re)write ``out/render.json`` atomically from ``config`` and the status files; return its path."""
    done = finished_frames(out, identity)
    record = {"format": FORMAT, "tool": "realtalk-render", "version": __version__, **identity, **config,
              "identity": identity, "status": STATUS_DIR, "progress": {"finished": len(done), "frames": total},
              "finished_frames": {str(n): e for n, e in done.items()}}
    return _write(out, record)


def refresh_manifest(out: Path, **updates: Any) -> Path:
    """Re-merge the status files into an existing render.json (e.g. after local workers), applying ``updates``."""
    record = read_manifest(out)
    done = finished_frames(out, record.get("identity"))
    record.update(updates)
    record["progress"] = {**record.get("progress", {}), "finished": len(done)}
    record["finished_frames"] = {str(n): e for n, e in done.items()}
    return _write(out, record)


def _write(out: Path, record: dict[str, Any]) -> Path:
    path = out / RECORD_NAME
    with atomic_write(path, "w") as handle:
        handle.write(json.dumps(record, indent=1) + "\n")
    return path


def read_manifest(out: Path) -> dict[str, Any]:
    """The render.json of ``out``; a missing or damaged one is one RenderError line."""
    path = out / RECORD_NAME
    if not path.is_file():
        raise RenderError(f"{out}: no {RECORD_NAME} here; render into this folder with realtalk-render first")
    try:
        record = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise RenderError(f"{path}: unreadable ({err}); render again with --resume to rewrite it") from None
    if not isinstance(record, dict) or "take" not in record or not isinstance(record.get("frames"), dict):
        raise RenderError(f"{path}: not a realtalk-render manifest; render again with --resume to rewrite it")
    return record
