"""The modal side of the job operators, driven by hand: timers do not fire in background mode, so the test plays
the window manager, sending TIMER and ESC events to ``JobOperator.modal`` while a real CLI runs."""

from __future__ import annotations

import time
from types import SimpleNamespace

import bpy

from realtalk_core.schema import load_take


class _WindowManager:
    def __init__(self):
        self.progress = []

    def event_timer_remove(self, timer):
        assert timer == "timer"

    def progress_update(self, value):
        self.progress.append(value)

    def progress_end(self):
        self.progress.append("end")


def _operator(addon, scene):
    class Driven(addon.job_operator.JobOperator):
        def __init__(self):
            self.reports = []

        def report(self, kind, message):
            self.reports.append((next(iter(kind)), message))

    op = Driven()
    op._step = addon.pipeline.generate_step(scene)
    op._job = addon.jobs.CliJob(op._step.argv, op._step.label, op._step.stages).start()
    op._timer = "timer"
    scene.realtalk.job_running = True
    return op


def test_timer_events_follow_the_job_and_finish_on_the_main_thread(addon, scene, speech_wav, helpers):
    helpers.sound_strip(scene, speech_wav, frame=4)
    op = _operator(addon, scene)
    context = SimpleNamespace(scene=scene, window_manager=_WindowManager(), screen=None)
    results = []
    while not results or results[-1] == {'PASS_THROUGH'}:
        results.append(op.modal(context, SimpleNamespace(type='TIMER')))
        assert op.modal(context, SimpleNamespace(type='MOUSEMOVE')) == {'PASS_THROUGH'}   # the UI stays live
        time.sleep(0.02)
    assert results[-1] == {'FINISHED'} and len(results) > 2
    progress = [p for p in context.window_manager.progress if p != "end"]
    assert progress == sorted(progress) and context.window_manager.progress[-1] == "end"
    assert not scene.realtalk.job_running and scene.realtalk.job_progress == 0.0
    assert scene.realtalk.frame_start == 4 and load_take(scene.realtalk.take_dir).frame_count > 30
    assert op.reports[-1][0] == 'INFO' and "Generated" in op.reports[-1][1]


def test_cancel_button_stops_the_subprocess_and_keeps_the_scene(addon, scene, speech_wav, helpers):
    helpers.sound_strip(scene, speech_wav)
    op = _operator(addon, scene)
    context = SimpleNamespace(scene=scene, window_manager=_WindowManager(), screen=None)
    assert op.modal(context, SimpleNamespace(type='TIMER')) == {'PASS_THROUGH'}
    bpy.ops.realtalk.cancel_job()
    assert op.modal(context, SimpleNamespace(type='TIMER')) == {'CANCELLED'}
    assert not op._job.running and op._job.state.cancelled
    assert not scene.realtalk.job_running and not scene.realtalk.cancel_requested
    assert scene.realtalk.head is None and "RealTalk Head" not in bpy.data.objects
    assert op.reports == [('WARNING', "Generate cancelled")]
