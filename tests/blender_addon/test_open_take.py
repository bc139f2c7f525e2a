"""Open Take: a Take made outside Blender (realtalk generate / realtalk demo) keyed into the scene, ready to re-bake."""

from __future__ import annotations

import importlib
import shutil

import bpy
import numpy as np
import pytest

from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES, load_take


def _fcurve(id_data, path):
    from bpy_extras import anim_utils
    anim = id_data.animation_data
    return anim_utils.action_get_channelbag_for_slot(anim.action, anim.action_slot).fcurves.find(path)


def test_open_take_keys_the_performance_emotion_and_sound(scene, addon, generated):
    scene.frame_start = 5
    source_files = sorted(p.name for p in generated.iterdir())
    assert bpy.ops.realtalk.open_take(directory=str(generated)) == {'FINISHED'}
    settings, take = scene.realtalk, load_take(generated)
    assert settings.frame_start == 5 and settings.emotion_mode == 'CURVES'
    assert settings.take_dir.startswith(str(addon.sources.work_folder(scene)))
    jaw = _fcurve(settings.head.data.shape_keys, 'key_blocks["jawOpen"].value')
    co = np.array([k.co[:] for k in jaw.keyframe_points])
    assert co[0, 0] == 5 and len(co) == take.frame_count
    np.testing.assert_allclose(co[:, 1], take.tracks.blendshapes[:, ARKIT_BLENDSHAPE_NAMES.index("jawOpen")],
                               atol=1e-6)
    happy = _fcurve(scene, "realtalk.emotion.happy")
    middle = take.frame_count // 2
    assert happy.evaluate(5 + middle) == pytest.approx(take.tracks.emotion[middle, EMOTION_NAMES.index("happy")],
                                                      abs=1e-5)
    sounds = [s for s in scene.sequence_editor.strips if s.type == 'SOUND']
    assert len(sounds) == 1 and sounds[0].frame_start == 5 and "take.next" not in sounds[0].sound.filepath
    assert sorted(p.name for p in generated.iterdir()) == source_files          # the source is only read

    assert bpy.ops.realtalk.rebake() == {'FINISHED'}                            # the usual tools work on it
    rebaked = load_take(settings.take_dir)
    np.testing.assert_allclose(rebaked.tracks.emotion, take.tracks.emotion, atol=1e-3)
    assert (addon.sources.work_folder(scene) / "audio").is_dir() and bpy.path.abspath(sounds[0].sound.filepath)


def test_open_take_refuses_what_it_cannot_use(scene, addon, generated, tmp_path):
    errors = importlib.import_module(addon.__name__ + ".errors")
    opener = importlib.import_module(addon.__name__ + ".open_take")
    bare = tmp_path / "bare"
    shutil.copytree(generated, bare)
    (bare / "rig.npz").unlink()
    with pytest.raises(errors.AddonError, match="has no rig.npz"):
        opener.open_take(scene, bare)
    scene.render.fps = 30
    with pytest.raises(errors.AddonError, match="runs at 24 fps but the scene at 30"):
        opener.open_take(scene, generated)
    with pytest.raises(errors.AddonError, match="take.json"):
        opener.open_take(scene, tmp_path / "nowhere")
    with pytest.raises(RuntimeError, match="is not a take folder"):                # the operator reports it
        bpy.ops.realtalk.open_take(directory=str(tmp_path / "nowhere"))
    assert scene.realtalk.head is None                                            # nothing half-built
