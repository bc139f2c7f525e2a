"""CliJob runs the real CLIs through QProcess and turns their JSON lines into signals."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from PyQt6.QtGui import QImage

from realtalk_ui.jobs import CliJob, export_video_job, generate_job, rebake_job, render_preview_job

#: Generous limits for real renders on a shared two-core machine (a guard, not a timing assertion).
RENDER_TIMEOUT_MS = 120_000


class Recorder:
    """Everything a job emitted, in order."""

    def __init__(self, job: CliJob) -> None:
        self.events: list[tuple] = []
        job.started.connect(lambda: self.events.append(("started",)))
        job.progress.connect(lambda stage, done, total: self.events.append(("progress", stage, done, total)))
        job.warning.connect(lambda message: self.events.append(("warning", message)))
        job.succeeded.connect(lambda outputs: self.events.append(("succeeded", outputs)))
        job.failed.connect(lambda message: self.events.append(("failed", message)))
        job.cancelled.connect(lambda: self.events.append(("cancelled",)))
        job.finishedAny.connect(lambda: self.events.append(("finishedAny",)))

    def kinds(self) -> list[str]:
        return [event[0] for event in self.events]

    def of(self, kind: str) -> list[tuple]:
        return [event[1:] for event in self.events if event[0] == kind]


def run_to_end(qtbot, job: CliJob, timeout: int = RENDER_TIMEOUT_MS) -> Recorder:
    recorder = Recorder(job)
    with qtbot.waitSignal(job.finishedAny, timeout=timeout):
        job.start()
    assert not job.is_running
    return recorder


def python_job(script: str) -> CliJob:
    return CliJob(sys.executable, ["-c", script], title="script")


def test_render_preview_reports_progress_and_the_frames_folder(qtbot, make_take, tmp_path):
    take, out = make_take(frames=3), tmp_path / "preview"
    job = render_preview_job(take, out, (0, 2), size=64, subject="proxy")
    recorder = run_to_end(qtbot, job)
    assert recorder.kinds()[0] == "started" and recorder.kinds()[-2:] == ["succeeded", "finishedAny"]
    progress = recorder.of("progress")
    assert progress and progress[-1] == ("render", 3, 3)
    assert all(total == 3 for _, _, total in progress)
    (outputs,) = recorder.of("succeeded")[0]
    assert Path(outputs["frames"]) == out / "frames" and job.exit_code == 0
    image = QImage(str(Path(outputs["frames"]) / "000002.png"))
    assert (image.width(), image.height()) == (64, 64)


def test_a_missing_take_fails_with_the_clis_one_line_message(qtbot, tmp_path):
    missing = tmp_path / "nope"
    job = render_preview_job(missing, tmp_path / "out", (0, 0), size=64, subject="proxy")
    recorder = run_to_end(qtbot, job)
    assert recorder.kinds()[-2:] == ["failed", "finishedAny"] and "succeeded" not in recorder.kinds()
    (message,) = recorder.of("failed")[0]
    assert message.startswith(f"{missing}: is not a take folder") and "\n" not in message
    assert job.exit_code == 2 and job.outputs is None


def test_cancel_stops_a_long_render_cleanly_and_keeps_its_manifest(qtbot, make_take, tmp_path):
    take, out = make_take(frames=200), tmp_path / "long"
    job = render_preview_job(take, out, (0, 199), size=128, subject="demo")
    recorder = Recorder(job)
    job.progress.connect(lambda *_: job.cancel())  # the first progress event (later calls are no-ops)
    with qtbot.waitSignal(job.cancelled, timeout=RENDER_TIMEOUT_MS):
        job.start()
    qtbot.waitUntil(lambda: recorder.kinds()[-1:] == ["finishedAny"], timeout=5000)
    assert not job.is_running and job.pid == 0
    assert job.exit_code == 130, "SIGINT should stop the CLI cleanly, not terminate() or kill()"
    assert "failed" not in recorder.kinds() and "succeeded" not in recorder.kinds()
    done = [event[1] for event in recorder.of("progress")]
    assert done and max(done) < 200
    manifest = json.loads((out / "render.json").read_text())
    assert isinstance(manifest, dict) and manifest


def test_cancel_escalates_to_terminate_when_sigint_is_ignored(qtbot):
    script = ("import signal, sys\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
              "print('{\"event\":\"progress\",\"stage\":\"s\",\"done\":0,\"total\":1}', flush=True)\n"
              "sys.stdin.read()\n")
    job = python_job(script)
    job.grace_ms = 50
    recorder = Recorder(job)
    with qtbot.waitSignal(job.progress, timeout=10_000):  # SIGINT is ignored from here on
        job.start()
    with qtbot.waitSignal(job.cancelled, timeout=10_000):
        job.cancel()
    assert not job.is_running and job.exit_code is None  # terminated: a crash exit, no exit code
    assert recorder.kinds()[-2:] == ["cancelled", "finishedAny"]


def test_partial_lines_chatter_and_warnings_are_parsed_incrementally(qtbot):
    script = "\n".join([
        "import sys, time",
        "w = sys.stdout.write",
        "w('library chatter, not JSON\\n'); w('{\"event\":\"progress\",\"stage\":\"feat'); sys.stdout.flush()",
        "time.sleep(0.05)",
        "w('ures\",\"done\":1,\"total\":null}\\n{\"event\":\"warning\",\"message\":\"short audio\"}\\n')",
        "w('{\"event\":\"done\",\"outputs\":{\"take\":\"/x\"}}')",  # no final newline
    ])
    recorder = run_to_end(qtbot, python_job(script), timeout=20_000)
    assert recorder.of("progress") == [("features", 1, -1)]
    assert recorder.of("warning") == [("short audio",)]
    assert recorder.of("succeeded") == [({"take": "/x"},)]


def test_a_crash_without_an_error_event_reports_the_last_stderr_line_and_exit_code(qtbot):
    script = "import sys; sys.stderr.write('first\\nSegmentation trouble\\n'); sys.exit(3)"
    job = python_job(script)
    recorder = run_to_end(qtbot, job, timeout=20_000)
    assert recorder.of("failed") == [("script: Segmentation trouble (exit code 3)",)]


def test_a_missing_program_fails_to_start(qtbot, tmp_path):
    job = CliJob(str(tmp_path / "no-such-cli"), ["--progress", "json"])
    recorder = run_to_end(qtbot, job, timeout=10_000)
    assert recorder.kinds() == ["failed", "finishedAny"]
    assert recorder.of("failed")[0][0].startswith(f"could not start {tmp_path / 'no-such-cli'}")


def test_builders_make_argument_lists_for_the_installed_clis(tmp_path):
    curves = tmp_path / "curves with space.json"
    jobs = {
        "generate": generate_job(tmp_path / "a.wav", tmp_path / "T", curves, seed=7),
        "rebake": rebake_job(tmp_path / "T", tmp_path / "T2", curves),
        "preview": render_preview_job(tmp_path / "T", tmp_path / "R", (3, 9), size=128, subject="proxy"),
        "export": export_video_job(tmp_path / "T", tmp_path / "R", tmp_path / "v.mp4"),
    }
    for job in jobs.values():
        assert Path(job.program).is_absolute() and Path(job.program).is_file()
        assert all(isinstance(arg, str) for arg in job.args) and job.args[-2:] == ["--progress", "json"]
    assert Path(jobs["generate"].program).name == "realtalk"
    assert Path(jobs["preview"].program).name == "realtalk-render"
    assert jobs["generate"].args[:-2] == ["generate", str(tmp_path / "a.wav"), "--out", str(tmp_path / "T"),
                                          "--seed", "7", "--emotion-curve", str(curves)]
    assert jobs["rebake"].args[:-2] == ["generate", "--from-take", str(tmp_path / "T"), "--only", "emotion",
                                        "--out", str(tmp_path / "T2"), "--emotion-curve", str(curves)]
    assert jobs["preview"].args[:-2] == [str(tmp_path / "T"), "--out", str(tmp_path / "R"), "--frames", "3-9",
                                         "--size", "128", "--subject", "proxy"]
    assert jobs["export"].args[:-2] == [str(tmp_path / "T"), "--out", str(tmp_path / "R"), "--size", "512",
                                        "--video", str(tmp_path / "v.mp4")]
    assert "--emotion-curve" not in generate_job("a.wav", "T").args
    with pytest.raises(ValueError, match="first <= last"):
        render_preview_job("T", "R", (9, 3))
