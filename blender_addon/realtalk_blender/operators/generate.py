"""Generate: speech audio + emotion -> a RealTalk Performance keyed on the timeline."""

import bpy

from ..job_operator import JobOperator
from ..pipeline import generate_step


class REALTALK_OT_generate(JobOperator, bpy.types.Operator):
    """Run realtalk generate on the speech, then key the head's blendshapes, pose and the emotion curves"""

    bl_idname = "realtalk.generate"
    bl_label = "Generate"
    bl_options = {'REGISTER', 'UNDO'}

    def make_step(self, context):
        return generate_step(context.scene)


CLASSES = (REALTALK_OT_generate,)
