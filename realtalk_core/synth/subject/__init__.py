"""The synthetic demo subject: the rig rendered by Blender (bpy) into a realtalk-dataset.

``render_sequence(blendshapes, head_pose, out_dir, SubjectRenderConfig(), workers=...)``
renders frames, label masks, a clean plate and exact 2D landmarks; bpy runs only inside
the worker processes (``python -m realtalk_core.synth.subject.worker --job JOB.json``).
"""

from .job import SubjectRenderError
from .render import RenderResult, SubjectRenderConfig, render_sequence
from .scene_config import SubjectSceneConfig

__all__ = ["RenderResult", "SubjectRenderConfig", "SubjectRenderError", "SubjectSceneConfig", "render_sequence"]
