"""The RealTalk panels, identical in the Sequencer sidebar and the 3D Viewport sidebar (N panel, "RealTalk" tab)."""

from __future__ import annotations

import bpy

from ._vendor.schema import EMOTION_NAMES

CATEGORY = "RealTalk"


def draw_realtalk(layout, context) -> None:
    settings = context.scene.realtalk
    box = layout.box()
    box.label(text="Speech", icon='SOUND')
    box.prop(settings, "audio_source", expand=True)
    if settings.audio_source == 'FILE':
        box.prop(settings, "audio_file", text="")
    box.prop(settings, "subject")
    box.prop(settings, "seed")

    box = layout.box()
    box.label(text="Emotion", icon='SHADERFX')
    box.prop(settings, "emotion_mode", expand=True)
    if settings.emotion_mode == 'PRESET':
        row = box.row(align=True)
        row.prop(settings, "preset", text="")
        row.prop(settings, "preset_weight")
        box.prop(settings.emotion, "intensity", slider=True)
    else:
        column = box.column(align=True)
        for name in EMOTION_NAMES:
            column.prop(settings.emotion, name, slider=True)
        box.prop(settings.emotion, "intensity", slider=True)
        box.label(text="Key these; edit them in the Graph Editor", icon='INFO')

    column = layout.column(align=True)
    column.enabled = not settings.job_running
    column.operator("realtalk.generate", icon='PLAY')
    column.operator("realtalk.open_take", icon='FILEBROWSER')
    column.operator("realtalk.rebake", icon='FILE_REFRESH')
    column.operator("realtalk.export_take", icon='EXPORT')

    box = layout.box()
    box.label(text="Render", icon='RENDER_ANIMATION')
    box.prop(settings, "render_size")
    box.prop(settings, "render_subject")
    column = box.column(align=True)
    column.enabled = not settings.job_running
    column.operator("realtalk.render", icon='RENDER_ANIMATION')
    column.operator("realtalk.add_to_sequencer", icon='SEQUENCE')

    if settings.job_running:
        row = layout.row(align=True)
        row.progress(factor=settings.job_progress, type='BAR', text=settings.job_label)
        row.operator("realtalk.cancel_job", text="", icon='CANCEL')
    elif settings.last_message:
        layout.label(text=settings.last_message, icon='CHECKMARK')
    layout.prop(settings, "work_dir")


class RealtalkPanel:
    """The panel body, shared by the sidebars of both editors."""

    bl_label = "RealTalk"
    bl_region_type = 'UI'
    bl_category = CATEGORY

    def draw(self, context):
        draw_realtalk(self.layout, context)


class REALTALK_PT_sequencer(RealtalkPanel, bpy.types.Panel):
    bl_space_type = 'SEQUENCE_EDITOR'


class REALTALK_PT_view3d(RealtalkPanel, bpy.types.Panel):
    bl_space_type = 'VIEW_3D'


CLASSES = (REALTALK_PT_sequencer, REALTALK_PT_view3d)


def register():
    for cls in CLASSES:
        bpy.utils.register_class(cls)


def unregister():
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
