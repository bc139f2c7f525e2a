"""The machinery shared by the operators that run a CLI: modal with a timer in the UI, synchronous in background.

* ``invoke`` (a button press): start the subprocess, poll it from a 0.1 s timer, show a progress
  bar in the panel and the window's progress cursor, and stop it on Esc or the Cancel button.
  Blender's main thread only ever polls a queue; the UI never waits on the subprocess.
* ``execute`` (scripts, ``blender -b``, tests): the same step, run to completion synchronously.

Every failure reaches the artist as one line through ``self.report``; an unexpected exception is
reported in one line too, with its traceback printed to the system console only.
"""

from __future__ import annotations

import traceback

import bpy

from .errors import AddonError
from .jobs import CliJob, JobError

TIMER_SECONDS = 0.1


def _redraw(context) -> None:
    screen = getattr(context, "screen", None)
    for area in (screen.areas if screen else ()):
        if area.type in {'SEQUENCE_EDITOR', 'VIEW_3D'}:
            area.tag_redraw()


class JobOperator:
    """Mixin for ``bpy.types.Operator`` subclasses; they define ``make_step(context) -> pipeline.Step``."""

    def make_step(self, context):
        raise NotImplementedError

    def _fail(self, error: Exception) -> set[str]:
        if isinstance(error, (AddonError, JobError)):
            message = str(error)
        else:
            traceback.print_exc()
            message = f"RealTalk: unexpected {type(error).__name__}: {error} (details in the system console)"
        self.report({'ERROR'}, message.splitlines()[0] if message else "RealTalk: failed")
        return {'CANCELLED'}

    def _succeed(self, context, step, state) -> set[str]:
        for warning in state.warnings:
            self.report({'WARNING'}, warning)
        try:
            message = step.finish(context.scene, state.outputs)
        except Exception as error:  # noqa: BLE001 - shown in one line, never as a traceback
            return self._fail(error)
        context.scene.realtalk.last_message = message
        self.report({'INFO'}, message)
        return {'FINISHED'}

    # ------------------------------------------------------------------ synchronous
    def execute(self, context):
        try:
            step = self.make_step(context)
            state = CliJob(step.argv, step.label, step.stages).wait()
        except Exception as error:  # noqa: BLE001
            return self._fail(error)
        return self._succeed(context, step, state)

    # ------------------------------------------------------------------ modal
    def invoke(self, context, event):
        if bpy.app.background:
            return self.execute(context)
        settings = context.scene.realtalk
        if settings.job_running:
            self.report({'WARNING'}, f"RealTalk is busy with {settings.job_label}; wait or press Cancel")
            return {'CANCELLED'}
        try:
            self._step = self.make_step(context)
            self._job = CliJob(self._step.argv, self._step.label, self._step.stages).start()
        except Exception as error:  # noqa: BLE001
            return self._fail(error)
        settings.job_running, settings.cancel_requested = True, False
        settings.job_label, settings.job_progress = self._step.label, 0.0
        manager = context.window_manager
        self._timer = manager.event_timer_add(TIMER_SECONDS, window=context.window)
        manager.modal_handler_add(self)
        manager.progress_begin(0.0, 1.0)
        return {'RUNNING_MODAL'}

    def _end(self, context) -> None:
        manager = context.window_manager
        manager.event_timer_remove(self._timer)
        manager.progress_end()
        settings = context.scene.realtalk
        settings.job_running, settings.cancel_requested, settings.job_progress = False, False, 0.0
        _redraw(context)

    def modal(self, context, event):
        settings = context.scene.realtalk
        if event.type == 'ESC' or settings.cancel_requested:
            self._job.cancel()
            self._end(context)
            self.report({'WARNING'}, f"{self._step.label} cancelled")
            return {'CANCELLED'}
        if event.type != 'TIMER':
            return {'PASS_THROUGH'}
        done = self._job.poll()
        state = self._job.state
        settings.job_progress = state.fraction
        settings.job_label = f"{self._step.label}: {state.stage}"
        context.window_manager.progress_update(state.fraction)
        _redraw(context)
        if not done:
            return {'PASS_THROUGH'}
        self._end(context)
        try:
            state = self._job.result()
        except JobError as error:
            return self._fail(error)
        return self._succeed(context, self._step, state)
