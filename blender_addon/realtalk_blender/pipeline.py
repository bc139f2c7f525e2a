"""The synchronous work behind each button: build a CLI command, and apply its result to the scene.

A :class:`Step` is what a modal operator runs: an argument list for ``realtalk`` / ``realtalk-render``
and a ``finish`` function called on Blender's main thread with the job's outputs. Tests call these
functions directly (timers do not fire in background mode).

Work folder layout (``sources.work_folder``)::

    take/           the generated Take: the *bake* (with layers.npz and rig.npz)
    take.next/      a Generate or Re-bake in progress; renamed to take/ when it succeeds
    take.prev/      the bake before the last one
    export/         the last exported Take (what Render renders)
    render/<sha>/   realtalk-render output for one exported Take (frames/, render.json): resumable
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from . import keys, performance, sequencer
from ._vendor.schema import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES, load_take, read_header
from ._vendor.schema.fileio import atomic_write
from ._vendor.schema.rig_mesh import load_rig_mesh
from .convert import carry_edits, emotion_curves_json, has_edits, preset_keys
from .errors import AddonError
from .preferences import device, find_executable
from .sources import resolve_audio, scene_fps, work_folder

TAKE, NEXT, PREV, EXPORT, RENDER = "take", "take.next", "take.prev", "export", "render"
GENERATE_STAGES = ("load", "audio", "motion", "emotion", "write")


@dataclass
class Step:
    argv: list[str]
    label: str
    finish: Callable[[object, dict], str]     #: (scene, outputs) -> the message to report
    stages: tuple[str, ...] = ()


# ---------------------------------------------------------------- emotion curves -> file
def _curves_file(scene, folder: Path, first: int, last: int, take_start: int) -> Path:
    """Sample the scene's emotion curves at scene frames first..last; write them in Take frames."""
    frames = np.arange(first, last + 1, dtype=np.float64)
    weights, intensity = performance.read_emotion(scene, frames)
    take_frames = frames - take_start
    return _write_curves(folder, emotion_curves_json({name: (take_frames, weights[name]) for name in EMOTION_NAMES},
                                                     (take_frames, intensity)))


def _write_curves(folder: Path, document: dict) -> Path:
    path = folder / "emotion_curves.json"
    with atomic_write(path, "w") as handle:
        json.dump(document, handle)
    return path


def _preset_file(scene, folder: Path) -> Path:
    """The preset (one emotion at a weight, the rest neutral) at the panel's intensity, as a curves file."""
    settings = scene.realtalk
    values = preset_keys(settings.preset, settings.preset_weight)
    at = np.zeros(1)
    return _write_curves(folder, emotion_curves_json({name: (at, np.array([values[name]])) for name in EMOTION_NAMES},
                                                     (at, np.array([settings.emotion.intensity]))))


def _emotion_args(scene, folder: Path, start: int, frames: int | None) -> list[str]:
    settings = scene.realtalk
    if settings.emotion_mode == 'PRESET':
        return ["--emotion-curve", str(_preset_file(scene, folder))]
    if frames is None:                        # before the first Generate: the span of the keys
        spans = [keys.key_range(scene, f"realtalk.emotion.{name}") for name in (*EMOTION_NAMES, "intensity")]
        ends = [end for span in spans if span for end in span]
        last = int(np.ceil(max(ends))) if ends else start
        frames = max(last - start + 1, 1)
    return ["--emotion-curve", str(_curves_file(scene, folder, start, start + frames - 1, start))]


# ---------------------------------------------------------------- Generate / Re-bake
def generate_step(scene) -> Step:
    settings = scene.realtalk
    audio = resolve_audio(scene)
    folder = work_folder(scene)
    argv = [find_executable("realtalk"), "generate", str(audio.path), "--out", str(folder / NEXT), "--overwrite",
            "--fps", f"{scene_fps(scene):g}", "--seed", str(settings.seed), "--subject", _subject(settings.subject),
            "--device", device(), "--progress", "json", *_emotion_args(scene, folder, audio.frame_start, None)]

    def finish(scene, outputs: dict) -> str:
        baked = apply_bake(scene, folder, audio.frame_start)
        if settings.emotion_mode == 'PRESET':
            performance.key_emotion(scene, audio.frame_start, preset_keys(settings.preset, settings.preset_weight),
                                    settings.emotion.intensity)
        settings.source_audio = str(audio.path)
        if audio.strip_name is None:
            sequencer.ensure_sound(scene, audio.path, audio.frame_start)
        return f"Generated {baked.frames} frames ({len(ARKIT_BLENDSHAPE_NAMES)} blendshapes) from " \
               f"{audio.path.name}{_kept(baked)}"

    return Step(argv, "Generate", finish, GENERATE_STAGES)


def rebake_step(scene) -> Step:
    settings = scene.realtalk
    take_dir = _generated(scene)
    folder = take_dir.parent
    frames = read_header(take_dir)["frame_count"]
    argv = [find_executable("realtalk"), "generate", "--from-take", str(take_dir), "--only", "emotion",
            "--out", str(folder / NEXT), "--overwrite", "--device", device(), "--progress", "json",
            "--emotion-curve", str(_curves_file(scene, folder, settings.frame_start,
                                                settings.frame_start + frames - 1, settings.frame_start))]

    def finish(scene, outputs: dict) -> str:
        baked = apply_bake(scene, folder, settings.frame_start)
        return f"Re-baked the emotion of {baked.frames} frames{_kept(baked)}"

    return Step(argv, "Re-bake Emotion", finish, ("emotion",))


def _subject(value: str) -> str:
    import bpy

    value = value.strip() or "demo"
    return value if value == "demo" else bpy.path.abspath(value)


def _generated(scene) -> Path:
    settings = scene.realtalk
    if not settings.take_dir or settings.head is None:
        raise AddonError("no RealTalk performance in this scene: press Generate first")
    take_dir = Path(settings.take_dir)
    if not (take_dir / "take.json").is_file():
        raise AddonError(f"{take_dir}: the generated Take is missing; press Generate again")
    return take_dir


@dataclass(frozen=True)
class Baked:
    head: object          #: the RealTalk Head
    frames: int           #: frames in the new bake
    edits_kept: bool      #: whether hand edits of the blendshapes were carried over


def _kept(baked: Baked) -> str:
    return "; hand edits kept" if baked.edits_kept else ""


def apply_bake(scene, folder: Path, frame_start: int) -> Baked:
    """Promote ``take.next`` to the bake and key it, carrying the artist's blendshape edits over.

    Edits are ``current curves - old bake`` at each scene frame the old bake covered (see convert.py).
    """
    settings = scene.realtalk
    new_dir, bake_dir, prev_dir = folder / NEXT, folder / TAKE, folder / PREV
    new = load_take(new_dir)
    rig = load_rig_mesh(new_dir)
    frames = performance.frames_of(frame_start, new.frame_count)
    weights = new.tracks.blendshapes.astype(np.float64)
    edits_kept = False
    head = settings.head
    if head is not None and head.data.shape_keys is not None and settings.take_dir \
            and (Path(settings.take_dir) / "take.json").is_file():
        old = load_take(settings.take_dir)
        old_start = settings.frame_start
        current = performance.read_blendshapes(head, frames)
        old_bake = np.zeros_like(current)
        inside = (frames >= old_start) & (frames < old_start + old.frame_count)
        old_bake[inside] = old.tracks.blendshapes[(frames[inside] - old_start).astype(int)]
        old_bake[~inside] = current[~inside]              # no edit outside the old bake
        edits_kept = has_edits(current, old_bake)
        weights = carry_edits(current, old_bake, weights)
    if prev_dir.exists():
        shutil.rmtree(prev_dir)
    if bake_dir.exists():
        bake_dir.rename(prev_dir)
    new_dir.rename(bake_dir)
    head = performance.ensure_performance(scene, rig)
    performance.key_blendshapes(head, frames, weights)
    performance.key_head_pose(head, frames, new.tracks.head_pose)
    settings.take_dir = str(bake_dir)
    settings.frame_start = frame_start
    if scene.frame_end < frame_start + new.frame_count - 1:
        scene.frame_end = frame_start + new.frame_count - 1
    return Baked(head, new.frame_count, edits_kept)
