"""Cancel: ask the running job to stop (its modal operator kills the subprocess cleanly)."""

import bpy


class REALTALK_OT_cancel_job(bpy.types.Operator):
    """Stop the running RealTalk job"""

    bl_idname = "realtalk.cancel_job"
    bl_label = "Cancel"

    def execute(self, context):
        context.scene.realtalk.cancel_requested = True
        return {'FINISHED'}


CLASSES = (REALTALK_OT_cancel_job,)
