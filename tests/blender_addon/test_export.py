"""Export Take: the edited curves round-trip into tracks.npz, and the Take passes `realtalk validate`."""

from __future__ import annotations

import subprocess

import bpy
import numpy as np
import pytest

from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES, load_take
from realtalk_core.schema.rig_mesh import load_rig_mesh

JAW = ARKIT_BLENDSHAPE_NAMES.index("jawOpen")


def _validate(take, helpers) -> subprocess.CompletedProcess:
    return subprocess.run([str(helpers.bin / "realtalk"), "validate", str(take)], capture_output=True, text=True)


def test_unedited_export_keeps_the_generated_tracks(performance, helpers, tmp_path):
    scene = performance.scene
    bake = load_take(scene.realtalk.take_dir)
    out = tmp_path / "exported"
    assert bpy.ops.realtalk.export_take(directory=str(out)) == {'FINISHED'}
    take = load_take(out)
    assert _validate(out, helpers).returncode == 0
    assert take.frame_start == performance.start and take.fps == bake.fps and take.frame_count == bake.frame_count
    np.testing.assert_array_equal(take.tracks.landmarks, bake.tracks.landmarks)
    np.testing.assert_allclose(take.tracks.blendshapes, bake.tracks.blendshapes, atol=1e-6)
    np.testing.assert_allclose(take.tracks.head_pose, bake.tracks.head_pose, atol=1e-5)
    assert take.audio is not None and take.audio.sha256 == bake.audio.sha256 and take.audio.offset == 0
    assert take.subject.name == bake.subject.name == "demo"


def test_edits_made_in_blender_are_in_tracks_npz(performance, helpers, tmp_path):
    scene, head, start = performance.scene, performance.head, performance.start
    bake = load_take(scene.realtalk.take_dir)
    rig = load_rig_mesh(scene.realtalk.take_dir)
    blocks = head.data.shape_keys.key_blocks
    blocks["jawOpen"].value = 0.9                                     # a blendshape key, set by hand
    blocks["jawOpen"].keyframe_insert("value", frame=start + 12)
    head.location = (0.01, 0.02, -0.5)                               # the head moved on one frame
    head.keyframe_insert("location", frame=start + 5)
    emotion = scene.realtalk.emotion                                 # angry from frame start + 30 on
    for frame, angry in ((start, 0.0), (start + 30, 1.0)):
        emotion.angry = angry
        scene.keyframe_insert("realtalk.emotion.angry", frame=frame)

    out = tmp_path / "edited"
    assert bpy.ops.realtalk.export_take(directory=str(out)) == {'FINISHED'}
    assert _validate(out, helpers).returncode == 0
    take = load_take(str(out))
    assert take.tracks.blendshapes[12, JAW] == pytest.approx(0.9, abs=1e-6)
    np.testing.assert_allclose(take.tracks.head_pose[5, :3, 3], (0.01, 0.02, -0.5), atol=1e-6)
    moved = take.tracks.landmarks[12] - bake.tracks.landmarks[12]
    np.testing.assert_allclose(moved, (0.9 - bake.tracks.blendshapes[12, JAW]) * rig.deltas["jawOpen"], atol=1e-6)
    np.testing.assert_array_equal(take.tracks.landmarks[11], bake.tracks.landmarks[11])
    angry = EMOTION_NAMES.index("angry")
    assert take.tracks.emotion[0, angry] == 0 and take.tracks.emotion[30, angry] > 0.45
    np.testing.assert_allclose(take.tracks.emotion.sum(axis=1), 1.0, atol=1e-5)
    assert take.provenance["emotion_curves"]["units"] == "frames"


def test_export_without_a_performance_is_one_line(scene, helpers):
    with pytest.raises(RuntimeError) as error:
        bpy.ops.realtalk.export_take()
    assert "press Generate first" in helpers.one_line(error.value)


def test_export_into_an_impossible_folder_is_one_line(performance, helpers, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.raises(RuntimeError) as error:
        bpy.ops.realtalk.export_take(directory=str(blocker / "take"))
    assert "writable folder" in helpers.one_line(error.value)
    assert blocker.read_text() == "not a folder"
