"""Long work runs in the CLIs: a :class:`CliJob` wraps one ``QProcess`` and turns its JSON lines into signals.

The previewer never imports the models. It starts ``realtalk`` or ``realtalk-render`` with
``--progress json`` (an argument list, never a shell) and reads the protocol of
:mod:`realtalk_core.progress` from stdout as it arrives::

    job = render_preview_job(take, out, (0, 24), size=256)
    job.progress.connect(lambda stage, done, total: ...)
    job.succeeded.connect(lambda outputs: show(outputs["frames"]))
    job.start()

Exactly one of ``succeeded``, ``failed`` or ``cancelled`` follows each start, then ``finishedAny``.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from PyQt6.QtCore import QObject, QProcess, QTimer, pyqtSignal

from realtalk_core.progress import ProgressEvent, parse_event

#: How long a job may take to stop after SIGINT before it is terminated, then killed (milliseconds).
GRACE_MS = 5000
#: Stderr lines kept to explain a crash without an error event.
_STDERR_LINES = 20

PathLike = str | os.PathLike[str]


@contextmanager
def _sigint_not_ignored() -> Iterator[None]:
    """A child inherits an ignored SIGINT (e.g. a GUI started with ``&`` from a script), which would make
    :meth:`CliJob.cancel` fall back to terminate; while it starts, give SIGINT a handler (reset to the
    default in the child at exec)."""
    if os.name != "posix" or threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def cli_program(name: str) -> str:
    """The console script ``name`` installed beside this Python (the venv's ``bin``), else found on PATH."""
    local = Path(sys.executable).parent / name
    if local.is_file():
        return str(local)
    return shutil.which(name) or str(local)


class CliJob(QObject):
    """One run of a RealTalk CLI with ``--progress json``; signals mirror its events."""

    #: The process is running.
    started = pyqtSignal()
    #: A progress event: stage name, units done, total units (-1 when unknown).
    progress = pyqtSignal(str, int, int)
    #: A warning event's message.
    warning = pyqtSignal(str)
    #: Exit code 0 after a ``done`` event: its ``outputs``.
    succeeded = pyqtSignal(dict)
    #: The CLI's one-line error message (or, after a crash, its last stderr line and exit code).
    failed = pyqtSignal(str)
    #: Stopped by :meth:`cancel`.
    cancelled = pyqtSignal()
    #: After any of succeeded, failed and cancelled.
    finishedAny = pyqtSignal()

    def __init__(self, program: str, args: Sequence[str], parent: QObject | None = None,
                 *, title: str = "", grace_ms: int = GRACE_MS) -> None:
        super().__init__(parent)
        self.program = str(program)
        self.args = [str(arg) for arg in args]
        self.title = title or Path(self.program).name
        self.grace_ms = grace_ms
        self.outputs: dict[str, Any] | None = None
        self.error_message: str | None = None
        self.exit_code: int | None = None
        self._buffer = b""
        self._stderr: deque[str] = deque(maxlen=_STDERR_LINES)
        self._stderr_partial = b""
        self._cancelling = self._terminated = False
        self._process = QProcess(self)
        self._process.readyReadStandardOutput.connect(self._read_stdout)
        self._process.readyReadStandardError.connect(self._read_stderr)
        self._process.started.connect(self.started)
        self._process.finished.connect(self._on_finished)
        self._process.errorOccurred.connect(self._on_error)
        self._escalate = QTimer(self)
        self._escalate.setSingleShot(True)
        self._escalate.timeout.connect(self._stop_harder)

    # ------------------------------------------------------------ control
    @property
    def is_running(self) -> bool:
        return self._process.state() != QProcess.ProcessState.NotRunning

    @property
    def pid(self) -> int:
        """The running process's id, 0 when none."""
        return int(self._process.processId())

    def command_line(self) -> list[str]:
        return [self.program, *self.args]

    def start(self) -> None:
        """Launch the CLI (once at a time); results arrive as signals."""
        if self.is_running:
            raise RuntimeError(f"{self.title} is already running")
        self.outputs = self.error_message = self.exit_code = None
        self._buffer, self._stderr_partial = b"", b""
        self._cancelling = self._terminated = False
        self._stderr.clear()
        with _sigint_not_ignored():
            self._process.start(self.program, self.args)

    def cancel(self) -> None:
        """Ask the CLI to stop with SIGINT (it flushes what it has); terminate, then kill, if it lingers."""
        if not self.is_running or self._cancelling:
            return
        self._cancelling = True
        pid = self.pid
        if pid > 0 and hasattr(signal, "SIGINT") and os.name == "posix":
            try:
                os.kill(pid, signal.SIGINT)
            except ProcessLookupError:
                return  # already gone: finished() follows
        else:
            self._process.terminate()
        self._escalate.start(self.grace_ms)

    def _stop_harder(self) -> None:
        if not self.is_running:
            return
        if not self._terminated:
            self._terminated = True
            self._process.terminate()
            self._escalate.start(self.grace_ms)
        else:
            self._process.kill()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the process exits (for shutdown; the UI itself relies on signals)."""
        return self._process.waitForFinished(msecs)

    # ------------------------------------------------------------ reading
    def _read_stdout(self) -> None:
        self._buffer += bytes(self._process.readAllStandardOutput())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            self._handle_line(line)

    def _read_stderr(self) -> None:
        data = self._stderr_partial + bytes(self._process.readAllStandardError())
        *lines, self._stderr_partial = data.split(b"\n")
        for line in lines:
            text = line.decode("utf-8", errors="replace").strip()
            if text:
                self._stderr.append(text)

    def _handle_line(self, raw: bytes) -> None:
        text = raw.decode("utf-8", errors="replace").strip()
        if not text:
            return
        try:
            event = parse_event(text)
        except ValueError:
            return  # library chatter on stdout is not part of the protocol
        self._handle_event(event)

    def _handle_event(self, event: ProgressEvent) -> None:
        data = event.data
        if event.event == "progress":
            total = data["total"]
            self.progress.emit(data["stage"], int(data["done"]), -1 if total is None else int(total))
        elif event.event == "warning":
            self.warning.emit(data["message"])
        elif event.event == "done":
            self.outputs = dict(data["outputs"])
        elif event.event == "error":
            self.error_message = data["message"]

    # ------------------------------------------------------------ endings
    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._escalate.stop()
            self.error_message = f"could not start {self.program}: {self._process.errorString()}"
            self.failed.emit(self.error_message)
            self.finishedAny.emit()

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._escalate.stop()
        self._read_stdout()
        if self._buffer:
            self._handle_line(self._buffer)
            self._buffer = b""
        self._read_stderr()
        if self._stderr_partial.strip():
            self._stderr.append(self._stderr_partial.decode("utf-8", errors="replace").strip())
            self._stderr_partial = b""
        crashed = status == QProcess.ExitStatus.CrashExit
        self.exit_code = None if crashed else int(code)
        if not crashed and code == 0 and self.outputs is not None:
            self.succeeded.emit(self.outputs)
        elif self._cancelling:
            self.cancelled.emit()
        else:
            self.failed.emit(self._failure_message(code, crashed))
        self.finishedAny.emit()

    def _failure_message(self, code: int, crashed: bool) -> str:
        if self.error_message and not crashed:
            return self.error_message
        last = self._stderr[-1] if self._stderr else "no error message"
        how = "crashed" if crashed else f"exit code {code}"
        if not crashed and code == 0:
            how = "exited without reporting its outputs"
        return f"{self.title}: {last} ({how})"


# ---------------------------------------------------------------- builders
def _path(value: PathLike) -> str:
    return os.fspath(value)


def generate_job(audio: PathLike, out_take: PathLike, curves_json: PathLike | None = None, seed: int = 0,
                 *, overwrite: bool = False, parent: QObject | None = None) -> CliJob:
    """``realtalk generate AUDIO --out TAKE [--emotion-curve C] --seed N``: a new Take from speech."""
    args = ["generate", _path(audio), "--out", _path(out_take), "--seed", str(int(seed))]
    args += ["--emotion-curve", _path(curves_json)] if curves_json is not None else []
    args += ["--overwrite"] if overwrite else []
    return CliJob(cli_program("realtalk"), [*args, "--progress", "json"], parent, title="generate")


def rebake_job(take: PathLike, out_take: PathLike, curves_json: PathLike | None,
               *, overwrite: bool = False, parent: QObject | None = None) -> CliJob:
    """``realtalk generate --from-take T --only emotion --out T2 [--emotion-curve C]``: new emotion, same speech."""
    args = ["generate", "--from-take", _path(take), "--only", "emotion", "--out", _path(out_take)]
    args += ["--emotion-curve", _path(curves_json)] if curves_json is not None else []
    args += ["--overwrite"] if overwrite else []
    return CliJob(cli_program("realtalk"), [*args, "--progress", "json"], parent, title="re-bake emotion")


def render_preview_job(take: PathLike, out_dir: PathLike, frames: tuple[int, int], size: int = 256,
                       subject: PathLike | None = None, *, force: bool = False,
                       parent: QObject | None = None) -> CliJob:
    """``realtalk-render TAKE --out DIR --frames A-B --size N [--subject S]``: a few frames as PNGs."""
    first, last = (int(frame) for frame in frames)
    if last < first:
        raise ValueError(f"frames must be (first, last) with first <= last, got {frames!r}")
    args = [_path(take), "--out", _path(out_dir), "--frames", f"{first}-{last}", "--size", str(int(size))]
    args += ["--subject", _path(subject)] if subject is not None else []
    args += ["--force"] if force else []
    return CliJob(cli_program("realtalk-render"), [*args, "--progress", "json"], parent, title="render preview")


def export_video_job(take: PathLike, out_dir: PathLike, video: PathLike, size: int = 512,
                     *, subject: PathLike | None = None, force: bool = False, parent: QObject | None = None) -> CliJob:
    """``realtalk-render TAKE --out DIR --size N --video OUT.mp4``: every frame, then an mp4 with the audio."""
    args = [_path(take), "--out", _path(out_dir), "--size", str(int(size)), "--video", _path(video)]
    args += ["--subject", _path(subject)] if subject is not None else []
    args += ["--force"] if force else []
    return CliJob(cli_program("realtalk-render"), [*args, "--progress", "json"], parent, title="export video")
