"""Strips go on free channels, never over the artist's; compat resolves Blender 5.0's names."""

from __future__ import annotations

import bpy
import pytest


def test_free_channel_skips_busy_ranges_only(addon, scene):
    editor = scene.sequence_editor_create()
    editor.strips.new_effect("a", 'COLOR', 1, frame_start=1, length=50)
    editor.strips.new_effect("b", 'COLOR', 2, frame_start=60, length=50)
    free = addon.sequencer.free_channel
    assert free(editor, 10, 20) == 2            # channel 2 is busy only later
    assert free(editor, 40, 70) == 3
    assert free(editor, 200, 210) == 1
    assert free(editor, 10, 20, above=2) == 3


def test_missing_frames_are_refused_before_any_strip_is_added(addon, scene, tmp_path):
    frames = tmp_path / "frames"
    frames.mkdir()
    for i in (10, 11, 13):
        (frames / f"{i:06d}.png").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match="000012.png"):
        addon.sequencer.add_frames(scene, frames, 10, 4)
    assert scene.sequence_editor is None or len(scene.sequence_editor.strips) == 0


def test_sound_is_added_once(addon, scene, speech_wav):
    first = addon.sequencer.ensure_sound(scene, speech_wav, 5)
    assert first is not None and first.frame_start == 5
    assert addon.sequencer.ensure_sound(scene, speech_wav, 5) is None
    assert addon.sequencer.ensure_sound(scene, speech_wav, 40).channel != first.channel


def test_compat_names_for_this_blender(addon, scene):
    compat = addon.compat
    editor = scene.sequence_editor_create()
    assert compat.strips(editor) == editor.strips
    assert compat.eevee_engine() in {e.identifier for e in bpy.types.RenderSettings.bl_rna.properties["engine"].enum_items}
    obj = bpy.data.objects.new("o", None)
    assert compat.fcurves(obj) is None
    curves = compat.fcurves(obj, create=True)
    curves.new("location", index=1)
    assert compat.find_fcurve(obj, "location", 1) is not None
