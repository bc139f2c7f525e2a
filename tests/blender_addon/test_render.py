"""End to end with real subprocesses: Generate -> keys -> edit -> Export -> Render -> strips in the Sequencer."""

from __future__ import annotations

import subprocess
from pathlib import Path

import bpy
import numpy as np
import pytest
from PIL import Image

from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, load_take

SIZE = 48


def test_generate_edit_export_render_into_the_sequencer(scene, speech_wav, helpers, tmp_path):
    editor = scene.sequence_editor_create()
    speech = helpers.sound_strip(scene, speech_wav, frame=10, channel=2)
    artist = editor.strips.new_effect("artist colour", 'COLOR', 1, frame_start=1, length=200)
    artist_range = (artist.channel, artist.frame_final_start, artist.frame_final_end)

    assert bpy.ops.realtalk.generate() == {'FINISHED'}                      # Generate
    settings = scene.realtalk
    head = settings.head
    blocks = head.data.shape_keys.key_blocks
    assert head.data.shape_keys.animation_data.action is not None         # keyframes exist
    blocks["jawOpen"].value = 1.0                                          # edit
    blocks["jawOpen"].keyframe_insert("value", frame=20)

    settings.render_size = SIZE
    assert bpy.ops.realtalk.render() == {'FINISHED'}                        # Export + Render
    exported = load_take(Path(settings.work_dir) / "Scene" / "export")
    assert exported.tracks.blendshapes[10, ARKIT_BLENDSHAPE_NAMES.index("jawOpen")] == pytest.approx(1.0)
    render_dir = Path(settings.render_dir)
    frames = sorted((render_dir / "frames").glob("*.png"))
    assert [p.name for p in frames] == [f"{10 + i:06d}.png" for i in range(exported.frame_count)]
    with Image.open(frames[0]) as image:
        assert image.size == (SIZE, SIZE) and np.asarray(image).std() > 5

    strips = {s.name: s for s in editor.strips}
    render = strips["RealTalk Render"]
    assert render.type == 'IMAGE' and render.frame_final_start == 10
    assert render.frame_final_end == 10 + exported.frame_count and len(render.elements) == exported.frame_count
    assert render.channel not in (1, 2)                                    # the artist's channels stay theirs
    assert (artist.channel, artist.frame_final_start, artist.frame_final_end) == artist_range
    sounds = [s for s in editor.strips if s.type == 'SOUND']
    assert sounds == [speech] and speech.channel == 2 and speech.frame_start == 10   # in sync, not doubled

    # pressing Render again on the unchanged performance resumes into the same folder
    first_bytes = frames[3].read_bytes()
    assert bpy.ops.realtalk.render() == {'FINISHED'}
    assert Path(settings.render_dir) == render_dir and frames[3].read_bytes() == first_bytes
    renders = [s for s in editor.strips if s.type == 'IMAGE']
    assert len(renders) == 2 and len({s.channel for s in renders}) == 2    # a new strip, the old one untouched


def test_render_refuses_a_subject_that_does_not_fit(performance, helpers, tmp_path):
    wrong = tmp_path / "not_a_subject"
    wrong.mkdir()
    performance.scene.realtalk.render_subject = str(wrong)
    performance.scene.realtalk.render_size = SIZE
    with pytest.raises(RuntimeError) as error:
        bpy.ops.realtalk.render()
    message = helpers.one_line(error.value)
    assert "not_a_subject" in message, message
    assert not [s for s in (performance.scene.sequence_editor.strips) if s.type == 'IMAGE']


def test_add_to_sequencer_needs_a_render(scene, helpers):
    with pytest.raises(RuntimeError) as error:
        bpy.ops.realtalk.add_to_sequencer()
    assert "press Render first" in helpers.one_line(error.value)
