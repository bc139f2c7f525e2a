"""Render: export the edited Take, run ``realtalk-render`` on it, and put the frames and audio in the VSE.

Each exported Take renders into ``render/<first 12 hex of its tracks sha256>/``, so pressing Render
again on an unchanged performance resumes (finished frames are kept), and an edited one never
mixes its frames with an older render.
"""

from __future__ import annotations

from pathlib import Path

import bpy

from . import sequencer
from ._vendor.schema import audio_path, load_take, read_header
from .errors import AddonError
from .export import export_take
from .pipeline import EXPORT, RENDER, Step
from .preferences import device, find_executable
from .sources import work_folder


def render_step(scene) -> Step:
    settings = scene.realtalk
    folder = work_folder(scene)
    take_dir = export_take(scene, folder / EXPORT)
    out = folder / RENDER / read_header(take_dir)["tracks_sha256"][:12]
    argv = [find_executable("realtalk-render"), str(take_dir), "--out", str(out), "--size", str(settings.render_size),
            "--device", device(), "--progress", "json"]
    if settings.render_subject.strip():
        argv += ["--subject", bpy.path.abspath(settings.render_subject.strip())]

    def finish(scene, outputs: dict) -> str:
        scene.realtalk.render_dir = str(out)
        strip = add_render(scene, take_dir, out)
        return f"Rendered {len(strip.elements)} frames into {out} (Sequencer channel {strip.channel})"

    return Step(argv, "Render", finish, ("render",))


def add_render(scene, take_dir: Path, render_dir: Path):
    """The rendered frames as an image strip at the Take's start, plus its audio if no strip plays it yet."""
    take = load_take(take_dir)
    try:
        strip = sequencer.add_frames(scene, render_dir / "frames", take.frame_start, take.frame_count)
    except FileNotFoundError as err:
        raise AddonError(str(err)) from None
    if take.audio is not None:
        start = int(round(take.frame_start - take.audio.offset * take.fps))
        sequencer.ensure_sound(scene, _source_audio(scene, audio_path(take_dir, take.audio)), start)
    return strip


def _source_audio(scene, exported: Path) -> Path:
    """Prefer the file the performance was generated from (already on the timeline) over the Take's copy."""
    source = scene.realtalk.source_audio
    return Path(source) if source and Path(source).is_file() else exported


def add_last_render(scene):
    settings = scene.realtalk
    if not settings.render_dir:
        raise AddonError("nothing rendered yet: press Render first")
    render_dir = Path(settings.render_dir)
    folder = work_folder(scene)
    if not (folder / EXPORT / "take.json").is_file():
        raise AddonError(f"{folder / EXPORT}: the rendered Take is missing; press Render again")
    return add_render(scene, folder / EXPORT, render_dir)
