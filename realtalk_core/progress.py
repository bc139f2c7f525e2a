"""The progress protocol shared by every long-running command.

``--progress bar``  a tqdm bar on stderr, for people.
``--progress json`` one JSON object per line on stdout, for the Blender add-on and the Qt previewer::

    {"event": "start", "command": "assets fetch"}
    {"event": "progress", "stage": "download", "done": 3, "total": 10}
    {"event": "info", "message": "using the GPU: NVIDIA H100"}
    {"event": "warning", "message": "..."}
    {"event": "done", "outputs": {"task": "/home/me/.cache/realtalk/face_landmarker.task"}}
    {"event": "error", "message": "..."}

``--progress none`` prints nothing but info lines, warnings and errors (on stderr).

Standard library only (tqdm is imported lazily for ``bar``), so front ends running in
Blender's Python can import :func:`parse_event`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, TextIO

MODES = ("bar", "json", "none")
EVENTS = ("start", "progress", "info", "warning", "done", "error")

#: Fields each event carries, with their accepted types.
_FIELDS: Mapping[str, Mapping[str, tuple[type, ...]]] = {
    "start": {"command": (str,)},
    "progress": {"stage": (str,), "done": (int,), "total": (int, type(None))},
    "info": {"message": (str,)},
    "warning": {"message": (str,)},
    "done": {"outputs": (dict,)},
    "error": {"message": (str,)},
}


@dataclass(frozen=True)
class ProgressEvent:
    """One parsed JSON line."""

    event: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"event": self.event, **self.data}, separators=(",", ":"))

    @property
    def fraction(self) -> float | None:
        """done/total for progress events with a known total, else None."""
        total = self.data.get("total")
        if self.event != "progress" or not total:
            return None
        return min(1.0, self.data["done"] / total)


def parse_event(line: str) -> ProgressEvent:
    """Parse and check one line of ``--progress json`` output; raises ValueError if it is not an event."""
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as err:
        raise ValueError(f"not a JSON line: {err}") from None
    if not isinstance(obj, dict) or obj.get("event") not in EVENTS:
        raise ValueError(f"not a progress event: {line.strip()[:80]!r}")
    kind = obj.pop("event")
    for name, types in _FIELDS[kind].items():
        value = obj.get(name)
        if isinstance(value, bool) or not isinstance(value, types):
            raise ValueError(f"{kind} event: field {name!r} must be {'/'.join(t.__name__ for t in types)}")
    if kind == "progress" and (obj["done"] < 0 or (obj["total"] is not None and obj["total"] < 0)):
        raise ValueError("progress event: done and total must be non-negative")
    return ProgressEvent(kind, obj)


def iter_events(lines: Iterator[str]) -> Iterator[ProgressEvent]:
    """Events from a stream of lines, skipping lines that are not events (e.g. library chatter)."""
    for line in lines:
        if line.strip():
            try:
                yield parse_event(line)
            except ValueError:
                continue


class Stage:
    """Counts work in one named stage; emits at most ~200 progress events per stage."""

    def __init__(self, reporter: "Progress", name: str, total: int | None) -> None:
        self.reporter, self.name, self.total, self.done = reporter, name, total, 0
        self._last_sent = -1
        self._step = max(1, (total or 0) // 200)
        self._bar = reporter._make_bar(name, total)
        self._closed = False
        self.note = ""
        reporter._open.append(self)
        self._emit(force=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
        self._emit(force=self.total is not None and self.done >= self.total)

    def describe(self, text: str) -> None:
        """Show a short status beside the bar (e.g. the loss); json mode sends it with the next progress event."""
        self.note = text
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=False)

    def _emit(self, force: bool = False) -> None:
        if self.reporter.mode != "json":
            return
        if force or self.done - self._last_sent >= self._step:
            self._last_sent = self.done
            extra = {"note": self.note} if self.note else {}
            self.reporter.emit("progress", stage=self.name, done=self.done, total=self.total, **extra)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self in self.reporter._open:
            self.reporter._open.remove(self)
        if self._bar is not None:
            self._bar.close()
        if self.done != self._last_sent:
            self._emit(force=True)

    def __enter__(self) -> "Stage":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Progress:
    """Reports a command's progress in one of MODES. Pass it explicitly; there is no global reporter."""

    def __init__(self, mode: str = "bar", command: str = "", out: TextIO | None = None,
                 err: TextIO | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"progress mode must be one of {MODES}, got {mode!r}")
        self.mode, self.command = mode, command
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self._open: list[Stage] = []

    def emit(self, event: str, **data: Any) -> None:
        """Write one JSON line (json mode only)."""
        if self.mode == "json":
            self.out.write(ProgressEvent(event, data).to_json() + "\n")
            self.out.flush()

    def _make_bar(self, name: str, total: int | None):
        if self.mode != "bar":
            return None
        from tqdm import tqdm
        # disable=None: no bar when stderr is not a terminal (logs, pipes), only the final messages.
        return tqdm(total=total, desc=name, file=self.err, unit="it", dynamic_ncols=True, leave=False, disable=None)

    def start(self) -> None:
        self.emit("start", command=self.command)

    def stage(self, name: str, total: int | None = None) -> Stage:
        return Stage(self, name, total)

    def info(self, message: str) -> None:
        """Something the user should know that is not a problem (e.g. which device runs the models)."""
        if self.mode == "json":
            self.emit("info", message=message)
        else:
            self.err.write(f"{message}\n")

    def warning(self, message: str) -> None:
        if self.mode == "json":
            self.emit("warning", message=message)
        else:
            self.err.write(f"warning: {message}\n")

    def done(self, outputs: Mapping[str, str] | None = None) -> None:
        self.emit("done", outputs=dict(outputs or {}))

    def close(self) -> None:
        """Close every open stage (and its bar), e.g. before an error message is printed."""
        for stage in list(self._open):
            stage.close()

    def error(self, message: str) -> None:
        self.close()
        self.emit("error", message=message)
