"""Generate: the real `realtalk generate` subprocess, keys at the right scene frames, the performance objects."""

from __future__ import annotations

import os
import wave
from pathlib import Path

import bpy
import numpy as np
import pytest

from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES, load_take
from realtalk_core.schema.rig_mesh import load_rig_mesh


def _curve(id_data, path, index=0):
    from bpy_extras import anim_utils
    anim = id_data.animation_data
    return anim_utils.action_get_channelbag_for_slot(anim.action, anim.action_slot).fcurves.find(path, index=index)


def _points(obj) -> np.ndarray:
    geometry = obj.evaluated_get(bpy.context.evaluated_depsgraph_get()).evaluated_geometry()
    cloud = geometry.pointcloud                        # valid only while ``geometry`` lives
    co = np.zeros(len(cloud.points) * 3, np.float32)
    cloud.attributes["position"].data.foreach_get("vector", co)
    return co.reshape(-1, 3)


def test_generate_keys_the_performance_from_the_sound_strip_frame(scene, speech_wav, helpers):
    helpers.sound_strip(scene, speech_wav, frame=10)
    scene.realtalk.preset, scene.realtalk.preset_weight = "happy", 0.8
    scene.realtalk.emotion.intensity = 1.3
    assert bpy.ops.realtalk.generate() == {'FINISHED'}
    settings = scene.realtalk
    take = load_take(settings.take_dir)
    sent = take.provenance["emotion_curves"]
    assert sent["curves"]["happy"] == [[0.0, pytest.approx(0.8)]] and sent["intensity"] == [[0.0, pytest.approx(1.3)]]
    frames = take.frame_count
    assert take.fps == 24 and settings.frame_start == 10 and frames > 30
    head = settings.head
    keys = head.data.shape_keys
    for name in ("jawOpen", "mouthSmileLeft", "eyeBlinkRight"):
        curve = _curve(keys, f'key_blocks["{name}"].value')
        co = np.array([k.co[:] for k in curve.keyframe_points])
        assert len(co) == frames and co[0, 0] == 10 and co[-1, 0] == 10 + frames - 1
        np.testing.assert_allclose(co[:, 1], take.tracks.blendshapes[:, ARKIT_BLENDSHAPE_NAMES.index(name)], atol=1e-6)
    assert len(keys.key_blocks) == 53 and [k.name for k in keys.key_blocks[1:]] == list(ARKIT_BLENDSHAPE_NAMES)
    poses = np.stack([np.array(_pose_at(scene, head, 10 + t)) for t in (0, frames // 2, frames - 1)])
    np.testing.assert_allclose(poses, take.tracks.head_pose[[0, frames // 2, frames - 1]], atol=1e-5)
    scene.frame_set(12)
    assert settings.emotion.happy == pytest.approx(0.8) and settings.emotion.neutral == pytest.approx(0.2)
    assert settings.emotion.intensity == pytest.approx(1.3)
    assert _curve(scene, "realtalk.emotion.happy") is not None
    assert scene.frame_end >= 10 + frames - 1
    assert len([s for s in scene.sequence_editor.strips if s.type == 'SOUND']) == 1    # the artist's, not a copy


def _pose_at(scene, head, frame):
    scene.frame_set(frame)
    return np.array(head.matrix_local)


def test_landmarks_are_the_keyed_rig_vertices_shown_as_points(performance):
    scene, head = performance.scene, performance.head
    rig = load_rig_mesh(scene.realtalk.take_dir)
    take = load_take(scene.realtalk.take_dir)
    landmarks = bpy.data.objects["RealTalk Landmarks"]
    for t in (3, 17):
        scene.frame_set(performance.start + t)
        points = _points(landmarks)
        weights = {name: np.array([take.tracks.blendshapes[t, j]]) for j, name in enumerate(ARKIT_BLENDSHAPE_NAMES)}
        expected = rig.evaluate(weights)[0] @ take.tracks.head_pose[t, :3, :3].T + take.tracks.head_pose[t, :3, 3]
        assert points.shape == (478, 3)
        np.testing.assert_allclose(points, expected, atol=2e-5)
        # the linear rig with the Take's blendshapes is the Take's landmarks up to the jaw hinge's rotation
        assert np.abs(rig.evaluate(weights)[0] - take.tracks.landmarks[t]).max() < 0.004


def test_generate_from_a_file_at_30_fps_adds_the_sound_and_keys_30_fps_frames(scene, speech_wav):
    scene.render.fps = 30
    scene.frame_start = 5
    settings = scene.realtalk
    settings.audio_source, settings.audio_file = 'FILE', str(speech_wav)
    assert bpy.ops.realtalk.generate() == {'FINISHED'}
    take = load_take(settings.take_dir)
    assert take.fps == 30 and settings.frame_start == 5
    with wave.open(str(speech_wav)) as handle:
        duration = handle.getnframes() / handle.getframerate() * 30
    assert abs(take.frame_count - duration) <= 1
    sounds = [s for s in scene.sequence_editor.strips if s.type == 'SOUND']
    assert len(sounds) == 1 and sounds[0].frame_start == 5 and Path(sounds[0].sound.filepath) == speech_wav
    curve = _curve(settings.head.data.shape_keys, 'key_blocks["jawOpen"].value')
    assert curve.keyframe_points[0].co[0] == 5 and len(curve.keyframe_points) == take.frame_count


def test_generating_again_updates_the_same_objects(scene, speech_wav, helpers):
    helpers.sound_strip(scene, speech_wav)
    assert bpy.ops.realtalk.generate() == {'FINISHED'}
    first = scene.realtalk.take_dir
    scene.realtalk.seed = 3
    assert bpy.ops.realtalk.generate() == {'FINISHED'}
    names = sorted(o.name for o in bpy.data.objects)
    assert names == ["RealTalk Camera", "RealTalk Head", "RealTalk Landmarks", "RealTalk Performance"]
    assert scene.realtalk.take_dir == first and (Path(first).parent / "take.prev" / "take.json").is_file()


def test_curve_mode_sends_the_keyed_emotion_curves(scene, speech_wav, helpers):
    helpers.sound_strip(scene, speech_wav, frame=1)
    settings = scene.realtalk
    settings.emotion_mode = 'CURVES'
    emotion = settings.emotion
    for frame, sad, neutral in ((1, 0.0, 1.0), (30, 1.0, 0.0)):
        emotion.sad, emotion.neutral = sad, neutral
        scene.keyframe_insert("realtalk.emotion.sad", frame=frame)
        scene.keyframe_insert("realtalk.emotion.neutral", frame=frame)
    assert bpy.ops.realtalk.generate() == {'FINISHED'}
    mix = load_take(settings.take_dir).tracks.emotion
    sad = EMOTION_NAMES.index("sad")
    assert mix[0, sad] < 0.05 and mix[29, sad] > 0.95 and mix[-1, sad] > 0.95
    assert np.all(np.diff(mix[:30, sad]) >= -1e-6)
    scene.frame_set(30)
    assert settings.emotion.sad == pytest.approx(1.0)              # the artist's curves are left as they were


def test_errors_are_one_line(scene, tmp_path, helpers, addon, monkeypatch):
    with pytest.raises(RuntimeError) as error:
        bpy.ops.realtalk.generate()
    assert "no sound strip" in helpers.one_line(error.value).split("Error: ")[-1]
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" * 10)
    helpers.sound_strip(scene, broken)
    with pytest.raises(RuntimeError) as error:
        bpy.ops.realtalk.generate()
    assert "broken.wav" in helpers.one_line(error.value)
    monkeypatch.setattr(addon.preferences, "_build_hint", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("REALTALK_BIN", raising=False)
    with pytest.raises(RuntimeError) as error:
        bpy.ops.realtalk.generate()
    assert "`realtalk` not found" in helpers.one_line(error.value) and "Preferences" in str(error.value)
    assert os.environ["PATH"] == str(tmp_path)
