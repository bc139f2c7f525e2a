"""All add-on state, in one PropertyGroup at ``Scene.realtalk``.

``Scene.realtalk.emotion`` holds the artist's control: the 8 emotion weights and the intensity are
animatable, so their F-curves (data paths ``realtalk.emotion.happy`` ...) are edited in the Graph
Editor and sent to ``realtalk generate`` as emotion curves. Job fields are not animatable.
"""

from __future__ import annotations

import bpy
from bpy.props import (BoolProperty, EnumProperty, FloatProperty, IntProperty, PointerProperty,
                       StringProperty)

from ._vendor.schema import EMOTION_NAMES

NOT_ANIMATED = set()
EMOTION_PATH = "realtalk.emotion."
INTENSITY = "intensity"


def _emotion_annotations() -> dict:
    fields = {name: FloatProperty(name=name.title(), min=0.0, max=1.0, default=1.0 if name == "neutral" else 0.0,
                                  description=f"Weight of {name} in the emotion mix (the mix is normalised)")
              for name in EMOTION_NAMES}
    fields[INTENSITY] = FloatProperty(name="Intensity", min=0.0, max=2.0, default=1.0,
                                      description="How strongly the emotion deforms the face (1 = as trained)")
    return fields


RealtalkEmotion = type("RealtalkEmotion", (bpy.types.PropertyGroup,), {
    "__annotations__": _emotion_annotations(),
    "__doc__": "The emotion curves: 8 weights and the intensity, keyframed on the scene's timeline.",
})


class RealtalkSettings(bpy.types.PropertyGroup):
    """Scene.realtalk: inputs of Generate and Render, the performance, and the running job."""

    audio_source: EnumProperty(
        name="Audio", default="STRIP", options=NOT_ANIMATED,
        items=[("STRIP", "Sound Strip", "The active (or only) sound strip in the Sequencer"),
               ("FILE", "File", "A speech file; Generate also places it as a sound strip")])
    audio_file: StringProperty(name="Audio File", subtype='FILE_PATH', options=NOT_ANIMATED,
                               description="Speech recording: wav, flac, mp3, m4a or ogg")
    subject: StringProperty(name="Subject", default="demo", options=NOT_ANIMATED,
                            description="`demo`, or a `realtalk process` dataset folder of your subject")
    render_subject: StringProperty(name="Render Subject", default="", options=NOT_ANIMATED, subtype='DIR_PATH',
                                   description="Trained subject folder for rendering; empty: the Take's own")
    emotion_mode: EnumProperty(
        name="Emotion", default="PRESET", options=NOT_ANIMATED,
        items=[("PRESET", "Preset", "One emotion at one weight for the whole performance"),
               ("CURVES", "Curves", "The keyframed emotion curves below (edit them in the Graph Editor)")])
    preset: EnumProperty(name="Preset", default="neutral", options=NOT_ANIMATED,
                         items=[(name, name.title(), "") for name in EMOTION_NAMES])
    preset_weight: FloatProperty(name="Weight", min=0.0, max=1.0, default=1.0, options=NOT_ANIMATED)
    emotion: PointerProperty(type=RealtalkEmotion)
    seed: IntProperty(name="Seed", default=0, min=0, options=NOT_ANIMATED)
    work_dir: StringProperty(name="Work Folder", default="//realtalk/", subtype='DIR_PATH', options=NOT_ANIMATED,
                             description="Where Takes and renders go (relative to the .blend file)")
    render_size: IntProperty(name="Size", default=512, min=32, max=2048, options=NOT_ANIMATED,
                             description="Rendered frame size in pixels (square)")

    # the performance (set by Generate)
    head: PointerProperty(name="Head", type=bpy.types.Object, options=NOT_ANIMATED)
    take_dir: StringProperty(name="Generated Take", subtype='DIR_PATH', options=NOT_ANIMATED)
    frame_start: IntProperty(name="Start Frame", options=NOT_ANIMATED,
                             description="Scene frame of the Take's first frame")
    source_audio: StringProperty(name="Source Audio", subtype='FILE_PATH', options=NOT_ANIMATED,
                                 description="The speech file the performance was generated from")
    render_dir: StringProperty(name="Last Render", subtype='DIR_PATH', options=NOT_ANIMATED)

    # the running job (reset when a file is loaded)
    job_running: BoolProperty(options=NOT_ANIMATED)
    job_label: StringProperty(options=NOT_ANIMATED)
    job_progress: FloatProperty(min=0.0, max=1.0, subtype='FACTOR', options=NOT_ANIMATED)
    cancel_requested: BoolProperty(options=NOT_ANIMATED)
    last_message: StringProperty(options=NOT_ANIMATED)


@bpy.app.handlers.persistent
def _reset_jobs(_dummy=None):
    """A .blend saved while a job ran must not open with a stuck progress bar."""
    for scene in bpy.data.scenes:
        scene.realtalk.job_running = False
        scene.realtalk.cancel_requested = False


CLASSES = (RealtalkEmotion, RealtalkSettings)


def register():
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    bpy.types.Scene.realtalk = PointerProperty(type=RealtalkSettings)
    bpy.app.handlers.load_post.append(_reset_jobs)


def unregister():
    if _reset_jobs in bpy.app.handlers.load_post:
        bpy.app.handlers.load_post.remove(_reset_jobs)
    del bpy.types.Scene.realtalk
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
