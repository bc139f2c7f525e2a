"""One run of a RealTalk CLI as a subprocess, read without blocking Blender. No bpy in this module.

The add-on never imports torch: it starts ``realtalk`` / ``realtalk-render`` with ``--progress json``
(an argument list, never a shell) and reads the JSON-lines protocol from stdout on a reader thread.
The thread only fills a queue; the operator's timer (on Blender's main thread) drains it with
:meth:`CliJob.poll`, so bpy is never touched from a thread.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Sequence

from ._vendor.progress import parse_event

#: Seconds a job may take to stop after SIGINT before it is terminated, then killed.
GRACE_SECONDS = 5.0
_STDERR_LINES = 20


class JobError(Exception):
    """A job failed: the message is the CLI's one-line error (or a short explanation of a crash)."""


@dataclass
class JobState:
    """What the operator shows: the current stage, its fraction, warnings, and the final outputs."""

    stage: str = "starting"
    fraction: float = 0.0
    warnings: list[str] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    returncode: int | None = None
    cancelled: bool = False


class CliJob:
    """``CliJob([exe, args...], label).start()``, then :meth:`poll` from a timer until it returns True.

    ``stages``: the CLI's stage names in order, to turn per-stage progress into one bar for the job.
    """

    def __init__(self, argv: Sequence[str], label: str, stages: Sequence[str] = (), cwd: str | None = None) -> None:
        self.argv = [str(a) for a in argv]
        self.label = label
        self.stages = tuple(stages)
        self.cwd = cwd
        self.state = JobState()
        self._process: subprocess.Popen | None = None
        self._events: queue.Queue = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=_STDERR_LINES)
        self._threads: list[threading.Thread] = []

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "CliJob":
        try:
            self._process = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True, encoding="utf-8", errors="replace", cwd=self.cwd, start_new_session=True)
        except OSError as err:
            raise JobError(f"cannot start {self.argv[0]} ({err.strerror}); set the RealTalk folder in "
                           "Preferences > Add-ons > RealTalk Studio") from None
        for target, stream in ((self._read_stdout, self._process.stdout), (self._read_stderr, self._process.stderr)):
            thread = threading.Thread(target=target, args=(stream,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def poll(self) -> bool:
        """Apply queued events to :attr:`state`; True once the process has ended and its output is read."""
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                break
            self._apply(event)
        if self._process is None or self._process.poll() is None or any(t.is_alive() for t in self._threads):
            return False
        while not self._events.empty():
            self._apply(self._events.get_nowait())
        self._finish(self._process.returncode)
        return True

    def wait(self) -> JobState:
        """Block until the job ends (background mode and tests); raises JobError on failure."""
        if self._process is None:
            self.start()
        self._process.wait()
        for thread in self._threads:
            thread.join()
        self.poll()
        return self.result()

    def result(self) -> JobState:
        if self.state.cancelled:
            raise JobError(f"{self.label}: cancelled")
        if self.state.error is not None:
            raise JobError(self.state.error)
        return self.state

    def cancel(self) -> None:
        """Stop the process group: SIGINT (the CLIs clean up and exit 130), then SIGTERM, then SIGKILL."""
        self.state.cancelled = True
        process = self._process
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, GRACE_SECONDS), (signal.SIGTERM, 2.0), (signal.SIGKILL, 2.0)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    # ------------------------------------------------------------------ reading (threads: no bpy here)
    def _read_stdout(self, stream) -> None:
        with stream:
            for line in stream:
                try:
                    self._events.put(parse_event(line))
                except ValueError:
                    continue

    def _read_stderr(self, stream) -> None:
        with stream:
            for line in stream:
                if line.strip():
                    self._stderr.append(line.rstrip())

    # ------------------------------------------------------------------ state (main thread)
    def _apply(self, event) -> None:
        data = event.data
        if event.event == "progress":
            self.state.stage = str(data.get("stage", self.state.stage))
            fraction = 0.0 if event.fraction is None else float(event.fraction)
            if self.state.stage in self.stages:       # the whole job's fraction, stage by stage
                fraction = (self.stages.index(self.state.stage) + fraction) / len(self.stages)
            self.state.fraction = max(self.state.fraction, fraction) if self.stages else fraction
        elif event.event == "warning":
            self.state.warnings.append(str(data.get("message", "")))
        elif event.event == "done":
            self.state.outputs = dict(data.get("outputs") or {})
        elif event.event == "error":
            self.state.error = str(data.get("message", "failed"))

    def _finish(self, code: int) -> None:
        self.state.returncode = code
        if self.state.cancelled or code == 0 and self.state.error is None:
            return
        if self.state.error is None:
            noise = ("W0000", "I0000", "WARNING: All log messages")
            lines = [line for line in self._stderr if not line.startswith(noise)]
            last = lines[-1] if lines else "no message"
            self.state.error = f"{self.label} failed (exit {code}): {last}"
