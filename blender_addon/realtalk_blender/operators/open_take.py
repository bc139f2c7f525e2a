"""Open Take: key a Take made by `realtalk generate` or `realtalk demo` (a folder) into the scene."""

from pathlib import Path

import bpy

from ..errors import AddonError
from ..open_take import open_take


class REALTALK_OT_open_take(bpy.types.Operator):
    """Key a generated Take folder (e.g. out/demo/take) from the scene's start frame, with its sound"""

    bl_idname = "realtalk.open_take"
    bl_label = "Open Take"
    bl_options = {'REGISTER', 'UNDO'}

    directory: bpy.props.StringProperty(name="Take folder", subtype='DIR_PATH')

    def invoke(self, context, event):
        context.window_manager.fileselect_add(self)
        return {'RUNNING_MODAL'}

    def execute(self, context):
        if not self.directory:
            self.report({'ERROR'}, "choose a Take folder (one holding take.json)")
            return {'CANCELLED'}
        try:
            message = open_take(context.scene, Path(bpy.path.abspath(self.directory)))
        except AddonError as error:
            self.report({'ERROR'}, str(error))
            return {'CANCELLED'}
        context.scene.realtalk.last_message = message
        self.report({'INFO'}, message)
        return {'FINISHED'}


CLASSES = (REALTALK_OT_open_take,)
