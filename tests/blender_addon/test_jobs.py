"""CliJob: real CLI subprocesses read through JSON-lines progress, failures in one line, and a clean cancel."""

from __future__ import annotations

import time

import pytest


def _until(job, condition, limit: float = 120.0) -> None:
    """Poll the job (as the modal timer does) until ``condition(job.state)`` or the job ends."""
    deadline = time.monotonic() + limit
    while not condition(job.state):
        if job.poll() or time.monotonic() > deadline:
            break
        time.sleep(0.02)


def test_progress_reaches_the_end_and_outputs_arrive(addon, speech_wav, tmp_path, helpers):
    stages = addon.pipeline.GENERATE_STAGES
    job = addon.jobs.CliJob([helpers.bin / "realtalk", "generate", speech_wav, "--out", tmp_path / "t",
                             "--progress", "json"], "Generate", stages)
    seen = []
    job.start()
    while not job.poll():
        seen.append(job.state.fraction)
        time.sleep(0.02)
    state = job.result()
    assert state.returncode == 0 and state.fraction == pytest.approx(1.0)
    assert seen == sorted(seen)                                      # one bar that never goes back
    assert state.outputs["take"] == str(tmp_path / "t") and any("DC offset" in w for w in state.warnings)


def test_a_failing_cli_gives_its_one_line_error(addon, tmp_path, helpers):
    job = addon.jobs.CliJob([helpers.bin / "realtalk", "generate", tmp_path / "missing.wav", "--out", tmp_path / "t",
                             "--progress", "json"], "Generate")
    with pytest.raises(addon.jobs.JobError) as error:
        job.wait()
    assert "missing.wav: no such audio file" in helpers.one_line(error.value)
    assert job.state.returncode == 2


def test_a_missing_program_says_where_to_set_it(addon, tmp_path, helpers):
    with pytest.raises(addon.jobs.JobError) as error:
        addon.jobs.CliJob([tmp_path / "nope" / "realtalk"], "Generate").start()
    assert "Preferences" in helpers.one_line(error.value)


def test_cancel_stops_a_render_cleanly(addon, generated, tmp_path, helpers):
    out = tmp_path / "render"
    job = addon.jobs.CliJob([helpers.bin / "realtalk-render", generated, "--out", out, "--size", "384",
                             "--progress", "json"], "Render", ("render",))
    job.start()
    _until(job, lambda state: state.fraction > 0)
    assert job.running, "the render ended before it could be cancelled"
    job.cancel()
    assert not job.running
    while not job.poll():
        time.sleep(0.01)
    assert job.state.cancelled and job.state.returncode != 0
    with pytest.raises(addon.jobs.JobError, match="cancelled"):
        job.result()
    frames = sorted((out / "frames").glob("*.png"))
    from realtalk_core.schema import load_take
    assert 0 < len(frames) < load_take(generated).frame_count and not list((out / "frames").glob("*.tmp*"))
