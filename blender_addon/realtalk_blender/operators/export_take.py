"""Export Take: the edited curves -> a Take folder (synchronous: it takes well under a second)."""

from pathlib import Path

import bpy

from ..errors import AddonError
from ..export import export_take
from ..pipeline import EXPORT
from ..sources import work_folder


class REALTALK_OT_export_take(bpy.types.Operator):
    """Bake the current, edited curves into a Take folder (for realtalk-render, the previewer or a farm)"""

    bl_idname = "realtalk.export_take"
    bl_label = "Export Take"
    bl_options = {'REGISTER'}

    directory: bpy.props.StringProperty(name="Folder", subtype='DIR_PATH',
                                        description="Take folder to write; empty: the work folder's export/")

    def invoke(self, context, event):
        if bpy.app.background:
            return self.execute(context)
        context.window_manager.fileselect_add(self)
        return {'RUNNING_MODAL'}

    def execute(self, context):
        try:
            out = Path(bpy.path.abspath(self.directory)) if self.directory else work_folder(context.scene) / EXPORT
            export_take(context.scene, out)
        except AddonError as error:
            self.report({'ERROR'}, str(error))
            return {'CANCELLED'}
        except OSError as error:
            self.report({'ERROR'}, f"{error.filename or 'export'}: {error.strerror}; choose a writable folder")
            return {'CANCELLED'}
        context.scene.realtalk.last_message = f"Exported the Take to {out}"
        self.report({'INFO'}, context.scene.realtalk.last_message)
        return {'FINISHED'}


CLASSES = (REALTALK_OT_export_take,)
