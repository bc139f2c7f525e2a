"""Where the inputs come from: the work folder, and the speech audio (a sound strip or a file)."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import bpy

from . import compat
from .errors import AddonError

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".ogg")


@dataclass(frozen=True)
class AudioSource:
    path: Path
    frame_start: int          #: the scene frame where the audio file's first sample plays
    strip_name: str | None    #: the sound strip it came from, if any


def work_folder(scene) -> Path:
    """This scene's folder for Takes and renders: ``Work Folder/<scene>``.

    A relative work folder needs a saved .blend; before that, the system temp folder is used.
    """
    setting = scene.realtalk.work_dir or "//realtalk/"
    if setting.startswith("//") and not bpy.data.filepath:
        base = Path(tempfile.gettempdir()) / "realtalk-blender"
    else:
        base = Path(bpy.path.abspath(setting))
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", scene.name).strip("._") or "scene"
    folder = base / safe
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AddonError(f"work folder {folder}: cannot be created ({err.strerror}); choose another "
                         "Work Folder in the RealTalk panel") from None
    return folder


def _sound_strips(scene) -> list:
    editor = scene.sequence_editor
    if editor is None:
        return []
    return [strip for strip in compat.all_strips(editor) if strip.type == 'SOUND']


def active_sound_strip(scene):
    """The active sound strip, else the only selected one, else the only one; AddonError otherwise."""
    strips = _sound_strips(scene)
    active = scene.sequence_editor.active_strip if scene.sequence_editor else None
    if active is not None and active.type == 'SOUND':
        return active
    selected = [strip for strip in strips if strip.select]
    for group in (selected, strips):
        if len(group) == 1:
            return group[0]
    if not strips:
        raise AddonError("no sound strip: add the speech to the Sequencer, or set Audio to File in the "
                         "RealTalk panel")
    raise AddonError(f"{len(strips)} sound strips: click the speech strip in the Sequencer to make it active")


def resolve_audio(scene) -> AudioSource:
    settings = scene.realtalk
    if settings.audio_source == 'FILE':
        if not settings.audio_file:
            raise AddonError("no audio file: choose a speech file in the RealTalk panel")
        path = Path(bpy.path.abspath(settings.audio_file))
        if not path.is_file():
            raise AddonError(f"{path}: no such audio file; choose an existing speech file")
        return AudioSource(path, scene.frame_start, None)
    strip = active_sound_strip(scene)
    if strip.sound is None or strip.sound.packed_file is not None:
        raise AddonError(f"sound strip {strip.name!r}: its audio is packed into the .blend; unpack it "
                         "(File > External Data > Unpack Resources) or set Audio to File")
    path = Path(bpy.path.abspath(strip.sound.filepath))
    if not path.is_file():
        raise AddonError(f"sound strip {strip.name!r}: {path} is missing; relink it or set Audio to File")
    if path.suffix.lower() not in AUDIO_SUFFIXES:
        raise AddonError(f"sound strip {strip.name!r}: {path.name} is not wav, flac, mp3, m4a or ogg; "
                         "convert it or set Audio to File")
    return AudioSource(path, int(round(strip.frame_start)), strip.name)


def scene_fps(scene) -> float:
    return scene.render.fps / scene.render.fps_base
