"""JobPanel shows the running job's progress, cancels it, and routes its errors and results."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QWidget

from realtalk_ui.job_panel import JobPanel
from realtalk_ui.jobs import CliJob, render_preview_job

TIMEOUT_MS = 120_000

#: Reports one progress event, then waits for stdin to close (done) or for SIGINT (exit 130, as the CLIs do).
WAITING_SCRIPT = "\n".join([
    "import signal, sys",
    "def stop(*_):",
    "    print('{\"event\":\"error\",\"message\":\"interrupted\"}', flush=True); sys.exit(130)",
    "signal.signal(signal.SIGINT, stop)",
    "print('{\"event\":\"progress\",\"stage\":\"render\",\"done\":4,\"total\":10}', flush=True)",
    "sys.stdin.read()",
    "print('{\"event\":\"done\",\"outputs\":{\"frames\":\"F\"}}', flush=True)",
])


@pytest.fixture
def panel(qtbot):
    host = QWidget()  # stands in for the main window
    qtbot.addWidget(host)
    widget = JobPanel(host)
    widget.host, widget.errors = host, []  # the test keeps the host window alive
    widget.on_error = lambda parent, title, message: widget.errors.append((parent, title, message))
    host.show()
    return widget


def test_panel_is_hidden_while_idle(panel):
    assert panel.isHidden() and not panel.busy


def test_panel_shows_progress_then_hides_and_passes_on_the_outputs(qtbot, panel, make_take, tmp_path):
    job = render_preview_job(make_take(frames=3), tmp_path / "out", (0, 2), size=64, subject="proxy")
    seen: list[tuple[bool, int, int, str]] = []
    with qtbot.waitSignal(panel.jobSucceeded, timeout=TIMEOUT_MS) as succeeded:
        panel.run(job)
        assert panel.isVisible() and panel.busy
        # connected after the panel's own slot, so it sees the panel already updated
        job.progress.connect(lambda *_: seen.append((panel.isVisible(), panel.bar.value(), panel.bar.maximum(),
                                                     panel.label.text())))
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    assert Path(succeeded.args[0]["frames"]) == tmp_path / "out" / "frames"
    assert seen and all(visible for visible, *_ in seen)
    assert seen[-1][1:] == (3, 3, "render preview: render")
    assert panel.isHidden() and panel.errors == [] and panel.last_job is job


def test_cancel_button_cancels_the_running_job(qtbot, panel):
    job = CliJob(sys.executable, ["-c", WAITING_SCRIPT], title="waiting")
    with qtbot.waitSignal(job.progress, timeout=TIMEOUT_MS):
        panel.run(job)
    assert panel.bar.value() == 4 and panel.bar.maximum() == 10 and panel.bar.text() == "4 / 10"
    with qtbot.waitSignal(panel.jobCancelled, timeout=TIMEOUT_MS):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        assert not panel.cancel_button.isEnabled() and "cancelling" in panel.label.text()
    qtbot.waitUntil(lambda: panel.isHidden(), timeout=5000)
    assert not job.is_running and job.exit_code == 130
    assert panel.errors == [], "a cancelled job is not an error"


def test_an_error_goes_to_on_error_with_the_clis_message(qtbot, panel, tmp_path):
    job = render_preview_job(tmp_path / "missing", tmp_path / "out", (0, 0), size=64, subject="proxy")
    with qtbot.waitSignal(panel.jobFailed, timeout=TIMEOUT_MS):
        panel.run(job)
    qtbot.waitUntil(lambda: panel.isHidden(), timeout=5000)
    ((parent, title, message),) = panel.errors
    assert parent is panel.window() and parent is not panel and title == "render preview failed"
    assert message.startswith(f"{tmp_path / 'missing'}: is not a take folder")


def test_a_second_job_is_refused_while_one_runs(qtbot, panel):
    first = CliJob(sys.executable, ["-c", WAITING_SCRIPT], title="first")
    with qtbot.waitSignal(first.progress, timeout=TIMEOUT_MS):
        panel.run(first)
    second = CliJob(sys.executable, ["-c", WAITING_SCRIPT], title="second")
    with pytest.raises(RuntimeError, match="first is still running"):
        panel.run(second)
    assert not second.is_running
    with qtbot.waitSignal(first.finishedAny, timeout=TIMEOUT_MS):
        first.cancel()
