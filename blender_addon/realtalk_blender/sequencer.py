"""Putting renders and sound into the Video Sequence Editor without touching the artist's strips."""

from __future__ import annotations

from pathlib import Path

import bpy

from . import compat

RENDER_STRIP = "RealTalk Render"
SOUND_STRIP = "RealTalk Audio"
MAX_CHANNEL = 128


def free_channel(editor, start: int, end: int, above: int = 0, ignore=None) -> int:
    """The lowest channel above ``above`` with no strip (but ``ignore``) overlapping scene frames [start, end)."""
    busy = set()
    for strip in compat.strips(editor):
        if strip != ignore and strip.frame_final_start < end and strip.frame_final_end > start:
            busy.add(strip.channel)
    for channel in range(above + 1, MAX_CHANNEL + 1):
        if channel not in busy:
            return channel
    raise RuntimeError("all 128 Sequencer channels are busy at these frames")


def _plays(editor, path: Path, frame_start: int) -> bool:
    for strip in compat.all_strips(editor):
        if strip.type == 'SOUND' and strip.sound is not None and int(round(strip.frame_start)) == frame_start:
            if Path(bpy.path.abspath(strip.sound.filepath)).resolve() == path.resolve():
                return True
    return False


def ensure_sound(scene, path: Path, frame_start: int):
    """A sound strip playing ``path`` from ``frame_start``: an existing one, else a new one on a free channel."""
    editor = scene.sequence_editor_create()
    if _plays(editor, path, frame_start):
        return None
    strip = compat.strips(editor).new_sound(SOUND_STRIP, str(path), MAX_CHANNEL, frame_start)
    strip.channel = free_channel(editor, strip.frame_final_start, strip.frame_final_end, ignore=strip)
    return strip


def add_frames(scene, frames_dir: Path, frame_start: int, count: int, above: int = 0):
    """An image-sequence strip of ``frames_dir/%06d.png`` (Take frame numbers) starting at ``frame_start``."""
    files = [frames_dir / f"{frame_start + i:06d}.png" for i in range(count)]
    missing = [f.name for f in files if not f.is_file()]
    if missing:
        raise FileNotFoundError(f"{frames_dir}: {len(missing)} frame(s) missing, first {missing[0]}; render again")
    editor = scene.sequence_editor_create()
    channel = free_channel(editor, frame_start, frame_start + count, above)
    strip = compat.strips(editor).new_image(RENDER_STRIP, str(files[0]), channel, frame_start, fit_method='FIT')
    for path in files[1:]:
        strip.elements.append(path.name)
    return strip
