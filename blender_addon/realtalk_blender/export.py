"""Export Take: bake the scene's current, edited curves into a Take that `realtalk validate` accepts.

* blendshapes: the 52 shape-key curves evaluated at every frame, clipped to [0, 1];
* landmarks: the generated Take's landmarks moved by the linear rig by exactly the edit,
  ``landmarks + sum_i (w_i edited - w_i generated) * delta_i``, so an unedited export keeps them bit for bit;
* emotion: the emotion curves evaluated at every frame and normalised into the Take's mix
  (the intensity curve goes into provenance, as the curves document Re-bake would send);
* head pose: the head's location and quaternion curves.

The Take starts at the performance's scene frame, so rendered frames are numbered by scene frame.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import performance
from ._vendor.schema import (ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES, RealtalkError, Take, TakeError, Tracks, load_take,
                             save_take)
from ._vendor.schema.io import attach_audio
from ._vendor.schema.rig_mesh import load_rig_mesh
from .convert import emotion_curves_json, emotion_mix
from .errors import AddonError

ADDON_TOOL = "realtalk blender export"


def edited_tracks(scene, bake: Take, rig) -> tuple[Tracks, dict]:
    """The scene's curves over the bake's frames -> (Tracks, the emotion-curves document)."""
    settings = scene.realtalk
    frames = performance.frames_of(settings.frame_start, bake.frame_count)
    weights = np.clip(performance.read_blendshapes(settings.head, frames), 0.0, 1.0)
    change = weights - bake.tracks.blendshapes.astype(np.float64)                         # (T, 52)
    landmarks = bake.tracks.landmarks.astype(np.float64)
    for j, name in enumerate(ARKIT_BLENDSHAPE_NAMES):
        if np.any(change[:, j]):
            landmarks = landmarks + change[:, j, None, None] * rig.deltas[name]
    emotion, intensity = performance.read_emotion(scene, frames)
    take_frames = frames - settings.frame_start
    curves = emotion_curves_json({name: (take_frames, emotion[name]) for name in EMOTION_NAMES},
                                 (take_frames, intensity))
    tracks = Tracks(landmarks=landmarks.astype(np.float32), blendshapes=weights.astype(np.float32),
                    emotion=emotion_mix(emotion, bake.frame_count),
                    head_pose=performance.read_head_pose(settings.head, frames).astype(np.float32))
    return tracks, curves


def export_take(scene, out: Path) -> Path:
    """Write the edited performance to ``out`` (take.json last); returns ``out``. AddonError on failure."""
    settings = scene.realtalk
    if not settings.take_dir or settings.head is None or settings.head.data.shape_keys is None:
        raise AddonError("no RealTalk performance in this scene: press Generate first")
    bake_dir = Path(settings.take_dir)
    try:
        bake = load_take(bake_dir)
        rig = load_rig_mesh(bake_dir)
    except RealtalkError as err:
        raise AddonError(str(err)) from None
    tracks, curves = edited_tracks(scene, bake, rig)
    if not all(np.isfinite(a).all() for a in tracks.as_dict().values()):
        raise AddonError("the edited curves hold NaN or infinite values; fix the keys in the Graph Editor")
    out.mkdir(parents=True, exist_ok=True)
    audio = None
    if bake.audio is not None:
        audio = attach_audio(out, bake_dir / bake.audio.path, bake.audio.sample_rate, bake.audio.offset,
                             name=bake.audio.path)
    take = Take(fps=bake.fps, tracks=tracks, frame_start=settings.frame_start, audio=audio, subject=bake.subject,
                provenance={"tool": ADDON_TOOL, "from_take": str(bake_dir), "emotion_curves": curves,
                            "generated": {k: v for k, v in bake.provenance.items()
                                          if k in ("config", "subject", "emotion_model_sha256",
                                                   "motion_model_sha256")}})
    try:
        save_take(take, out)
        load_take(out)
    except TakeError as err:
        raise AddonError(str(err)) from None
    return out
