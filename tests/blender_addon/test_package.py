"""The extension zip: its contents, installing it into Blender, registering and unregistering."""

from __future__ import annotations

import json
import zipfile

import bpy
import numpy as np

import build


def test_zip_holds_the_addon_its_manifest_and_the_vendored_schema(addon_zip):
    assert addon_zip.name == f"realtalk_blender-{build.manifest_version()}.zip"
    with zipfile.ZipFile(addon_zip) as archive:
        names = set(archive.namelist())
        info = json.loads(archive.read("realtalk_blender/build_info.json"))
    for member in ("blender_manifest.toml", "__init__.py", "compat.py", "panels.py", "preferences.py",
                   "properties.py", "operators/generate.py", "_vendor/schema/io.py",
                   "_vendor/schema/rig_mesh.py", "_vendor/progress.py"):
        assert f"realtalk_blender/{member}" in names, member
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert info["version"] == build.core_version()
    assert info["venv_bin"].endswith("bin")


def test_installed_from_the_zip_and_enabled(addon):
    assert addon.__name__.startswith("bl_ext.") and addon.__package__ == addon.__name__
    assert (addon.repo_dir / "blender_manifest.toml").is_file()
    for op in ("generate", "rebake", "export_take", "render", "add_to_sequencer", "cancel_job"):
        assert hasattr(bpy.ops.realtalk, op) and getattr(bpy.ops.realtalk, op).get_rna_type() is not None
    assert hasattr(bpy.types, "REALTALK_PT_sequencer") and hasattr(bpy.types, "REALTALK_PT_view3d")
    assert bpy.types.REALTALK_PT_sequencer.bl_space_type == 'SEQUENCE_EDITOR'
    assert bpy.types.REALTALK_PT_view3d.bl_space_type == 'VIEW_3D'


def test_unregister_then_register_again(addon, scene):
    addon.unregister()
    try:
        assert not hasattr(bpy.types.Scene, "realtalk")
        assert not hasattr(bpy.types, "REALTALK_PT_view3d")
    finally:
        addon.register()
    assert bpy.context.scene.realtalk.subject == "demo"


def test_emotion_properties_are_animatable_on_the_scene(scene):
    emotion = scene.realtalk.emotion
    emotion.sad = 0.5
    assert scene.keyframe_insert("realtalk.emotion.sad", frame=7)
    emotion.sad = 0.0
    scene.frame_set(7)
    assert np.isclose(scene.realtalk.emotion.sad, 0.5)


def test_nothing_is_written_into_the_addon_folder(addon, performance):
    before = sorted(p.relative_to(addon.repo_dir) for p in addon.repo_dir.rglob("*") if "__pycache__" not in p.parts)
    bpy.ops.realtalk.export_take()
    after = sorted(p.relative_to(addon.repo_dir) for p in addon.repo_dir.rglob("*") if "__pycache__" not in p.parts)
    assert before == after
    assert (performance.folder / "export" / "take.json").is_file()


class _Layout:
    """Records what a panel draws; fails on a property or operator that does not exist."""

    def __init__(self, log):
        self.log, self.enabled = log, True

    def box(self):
        return _Layout(self.log)

    row = column = lambda self, **_: _Layout(self.log)

    def prop(self, data, name, **_):
        assert name in data.bl_rna.properties, name
        self.log.append(("prop", name))

    def operator(self, idname, **_):
        group, name = idname.split(".")
        assert getattr(getattr(bpy.ops, group), name).get_rna_type() is not None, idname
        self.log.append(("operator", idname))

    def label(self, **_):
        self.log.append(("label",))

    def progress(self, **kwargs):
        assert 0.0 <= kwargs["factor"] <= 1.0
        self.log.append(("progress", kwargs["text"]))


def test_panel_draws_every_control_in_each_mode(addon, scene):
    settings = scene.realtalk
    logs = {}
    for mode, running in (("PRESET", False), ("CURVES", True)):
        settings.emotion_mode, settings.job_running, settings.job_label = mode, running, "Render: render"
        log = []
        addon.panels.draw_realtalk(_Layout(log), bpy.context)
        logs[mode] = log
    ops = {entry[1] for entry in logs["PRESET"] if entry[0] == "operator"}
    assert ops == {"realtalk.generate", "realtalk.open_take", "realtalk.rebake", "realtalk.export_take",
                   "realtalk.render", "realtalk.add_to_sequencer"}
    props = {entry[1] for entry in logs["PRESET"] if entry[0] == "prop"}
    assert {"audio_source", "subject", "seed", "preset", "preset_weight", "intensity", "render_size"} <= props
    curves = {entry[1] for entry in logs["CURVES"] if entry[0] == "prop"}
    assert {"happy", "sad", "contempt", "neutral", "intensity"} <= curves
    assert ("progress", "Render: render") in logs["CURVES"] and ("operator", "realtalk.cancel_job") in logs["CURVES"]
