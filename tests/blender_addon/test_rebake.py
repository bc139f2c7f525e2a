"""Re-bake Emotion: an edited emotion key changes the expression, and a hand-edited blendshape key survives."""

from __future__ import annotations

import bpy
import numpy as np

from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES, load_take

JAW = ARKIT_BLENDSHAPE_NAMES.index("jawOpen")
SMILE = [ARKIT_BLENDSHAPE_NAMES.index(n) for n in ("mouthSmileLeft", "mouthSmileRight")]


def _fcurve(id_data, path):
    from bpy_extras import anim_utils
    anim = id_data.animation_data
    return anim_utils.action_get_channelbag_for_slot(anim.action, anim.action_slot).fcurves.find(path)


def test_rebake_applies_the_edited_emotion_and_keeps_the_hand_edit(performance, addon):
    scene, head, start = performance.scene, performance.head, performance.start
    old = load_take(scene.realtalk.take_dir)
    # the artist turns the happy performance sad, with the emotion curves on the scene
    values = {name: 0.0 for name in EMOTION_NAMES}
    values["sad"] = 1.0
    addon.performance.key_emotion(scene, start, values)
    scene.realtalk.emotion_mode = 'CURVES'
    # ... and opens the jaw on one frame by hand
    edited = 20
    jaw = _fcurve(head.data.shape_keys, 'key_blocks["jawOpen"].value')
    key = jaw.keyframe_points[edited]
    assert key.co[0] == start + edited
    key.co[1] = old.tracks.blendshapes[edited, JAW] + 0.3
    jaw.update()

    assert bpy.ops.realtalk.rebake() == {'FINISHED'}
    new = load_take(scene.realtalk.take_dir)
    sad = EMOTION_NAMES.index("sad")
    assert np.all(new.tracks.emotion[:, sad] > 0.99)                       # the emotion edit reached the Take
    assert new.tracks.blendshapes[:, SMILE].mean() < old.tracks.blendshapes[:, SMILE].mean() - 0.05
    baked = addon.performance.read_blendshapes(head, addon.performance.frames_of(start, new.frame_count))
    expected = np.clip(new.tracks.blendshapes[edited, JAW] + 0.3, 0, 1)
    assert abs(baked[edited, JAW] - expected) < 1e-5                       # the hand edit rides on the new bake
    others = np.ones(new.frame_count, bool)
    others[edited] = False
    np.testing.assert_allclose(baked[others], new.tracks.blendshapes[others], atol=1e-6)
    # the speech motion is the same bake: only the emotion layer changed
    np.testing.assert_array_equal(new.tracks.head_pose, old.tracks.head_pose)


def test_rebake_without_a_performance_says_generate_first(scene, helpers):
    import pytest
    with pytest.raises(RuntimeError) as error:
        bpy.ops.realtalk.rebake()
    assert "press Generate first" in helpers.one_line(error.value)
