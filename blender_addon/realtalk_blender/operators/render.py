"""Render: export the edited Take, render it with realtalk-render, add the frames and audio to the Sequencer."""

import bpy

from ..job_operator import JobOperator
from ..rendering import render_step


class REALTALK_OT_render(JobOperator, bpy.types.Operator):
    """Export the edited performance, render photoreal frames, and add them to the Sequencer"""

    bl_idname = "realtalk.render"
    bl_label = "Render"
    bl_options = {'REGISTER'}

    def make_step(self, context):
        return render_step(context.scene)


CLASSES = (REALTALK_OT_render,)
