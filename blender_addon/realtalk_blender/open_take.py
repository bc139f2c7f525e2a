"""Open Take: bring a Take made outside Blender (``realtalk generate``, ``realtalk demo``) into the scene.

The Take is copied into the work folder as the new bake, so Re-bake, Export and Render work on it
exactly as after Generate. Its blendshapes and head pose are keyed from the scene's start frame,
its emotion track is keyed per frame (with the intensity of the curves it was made with), and its
audio becomes a sound strip.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from . import keys, performance, sequencer
from ._vendor.schema import EMOTION_NAMES, RealtalkError, load_take
from ._vendor.schema.emotion_curves import EmotionCurves
from ._vendor.schema.rig_mesh import RIG_NPZ
from .errors import AddonError
from .pipeline import NEXT, apply_bake
from .properties import EMOTION_PATH, INTENSITY
from .sources import scene_fps, work_folder


def open_take(scene, source: Path) -> str:
    """Key the Take in ``source`` from ``scene.frame_start``; returns the one-line report."""
    source = Path(source)
    try:
        take = load_take(source)
    except RealtalkError as error:
        raise AddonError(str(error)) from None
    if not (source / RIG_NPZ).is_file():
        raise AddonError(f"{source}: has no {RIG_NPZ}, so it was not made by `realtalk generate`; "
                         "open a generated Take (e.g. out/demo/take)")
    fps = scene_fps(scene)
    if abs(take.fps - fps) > 1e-3:
        raise AddonError(f"{source}: the Take runs at {take.fps:g} fps but the scene at {fps:g}; "
                         f"set Output Properties > Frame Rate to {take.fps:g} and open it again")
    folder = work_folder(scene)
    staging = folder / NEXT
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(source, staging)
    settings = scene.realtalk
    settings.take_dir = ""                        # a different Take: no hand edits to carry over
    start = scene.frame_start
    baked = apply_bake(scene, folder, start)
    frames = performance.frames_of(start, take.frame_count)
    for k, name in enumerate(EMOTION_NAMES):
        keys.write_curve(scene, EMOTION_PATH + name, frames, take.tracks.emotion[:, k].astype(np.float64))
    keys.write_curve(scene, EMOTION_PATH + INTENSITY, frames, _intensity(take))
    settings.emotion_mode = 'CURVES'
    if take.audio is not None:
        # Re-bakes replace the bake folder, so the sound strip plays a copy that stays put.
        audio = folder / "audio" / f"{source.name}_{take.audio.path}"
        audio.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(settings.take_dir) / take.audio.path, audio)
        sequencer.ensure_sound(scene, audio, start - int(round(take.audio.offset * fps)))
        settings.source_audio = str(audio)
    return f"Opened {source.name}: {baked.frames} frames from frame {start}"


def _intensity(take) -> np.ndarray:
    """Per-frame intensity of the curves the Take was generated with (1 where it does not say)."""
    document = take.provenance.get("emotion_curves")
    if isinstance(document, dict):
        try:
            return EmotionCurves.from_json(document).sample(take.fps, take.frame_count)[1].astype(np.float64)
        except RealtalkError:
            pass
    return np.ones(take.frame_count)
