"""Re-bake Emotion: the edited emotion curves -> new blendshape keys; hand edits are carried over."""

import bpy

from ..job_operator import JobOperator
from ..pipeline import rebake_step


class REALTALK_OT_rebake(JobOperator, bpy.types.Operator):
    """Send the edited emotion curves to realtalk generate --only emotion and update the blendshape keys,
    keeping your hand edits"""

    bl_idname = "realtalk.rebake"
    bl_label = "Re-bake Emotion"
    bl_options = {'REGISTER', 'UNDO'}

    def make_step(self, context):
        return rebake_step(context.scene)


CLASSES = (REALTALK_OT_rebake,)
