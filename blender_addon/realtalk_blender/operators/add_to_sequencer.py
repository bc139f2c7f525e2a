"""Add to Sequencer: the last render's frames (and its audio, unless already there) as new strips."""

import bpy

from ..errors import AddonError
from ..rendering import add_last_render


class REALTALK_OT_add_to_sequencer(bpy.types.Operator):
    """Add the last render as an image strip on a free channel, with its sound strip if none plays it yet"""

    bl_idname = "realtalk.add_to_sequencer"
    bl_label = "Add to Sequencer"
    bl_options = {'REGISTER', 'UNDO'}

    def execute(self, context):
        try:
            strip = add_last_render(context.scene)
        except AddonError as error:
            self.report({'ERROR'}, str(error))
            return {'CANCELLED'}
        self.report({'INFO'}, f"Added {strip.name} on channel {strip.channel}")
        return {'FINISHED'}


CLASSES = (REALTALK_OT_add_to_sequencer,)
