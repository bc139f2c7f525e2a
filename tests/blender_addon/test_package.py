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
