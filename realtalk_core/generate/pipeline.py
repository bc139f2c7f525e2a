"""``realtalk generate``: speech audio + emotion curves -> a Take.

Data flow, top to bottom (each step a named layer)::

    audio -> features (fps-aligned)            realtalk_core.audio
          -> neutral speech motion + lips-together    motion VAE (seed, temperature)
          + blinks and gaze (seeded, switchable)      synth.idle
          -> lips sealed where the model hears a closure
          => the NEUTRAL LAYER, saved in layers.npz (never changed by a re-bake)
          -> landmarks through the subject's rig
          -> emotional landmarks                      emotion LDM (curves, intensity)
          -> blendshapes: neutral + solve(emotional) - solve(neutral)
          -> lips sealed again (no emotion may part a /p b m/)
          -> head pose: speech-energy-driven sway in the subject's style (seeded, switchable)

``rebake`` reruns only the emotion steps on a Take's saved neutral layer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..rig import BlendshapeSolver
from ..schema import AudioRef, SubjectRef, Take, Tracks, save_take
from ..schema.emotion_curves import EmotionCurves
from ..schema.rig_mesh import RigMesh, save_rig_mesh
from ..synth.closure import seal_lips
from ..synth.idle import BlinkConfig, GazeConfig, blink_weights, gaze_weights, head_poses, speech_energy
from ..synth.performance import frame_count
from ..schema.channels import blendshape_index
from .layers import NeutralLayer
from .subject import SubjectIdentity


@dataclass(frozen=True)
class GenerateConfig:
    """Choices of one generation (all recorded in the Take's provenance)."""

    fps: float = 25.0
    seed: int = 0
    temperature: float = 0.5        #: variety of the speech motion (0 = most likely)
    blinks: bool = True
    gaze: bool = True
    head_motion: bool = True
    closure_threshold: float = 0.5  #: lips-together probability above which the lips are sealed


def _rng(seed: int, stream: str) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed), sum(map(ord, stream))]))


def neutral_layer(samples: np.ndarray, sample_rate: int, motion_model, subject: SubjectIdentity,
                  config: GenerateConfig) -> NeutralLayer:
    """Audio samples (the feature rate) -> the neutral layer: speech, blinks, gaze, sealed lips, head pose."""
    from ..audio import extract_features_long

    frames = frame_count(len(samples) / sample_rate, config.fps)
    features = extract_features_long(samples, sample_rate, config.fps, frames, motion_model.features)
    speech = motion_model.generate(features.values, seed=config.seed, temperature=config.temperature)
    weights = speech.blendshapes.astype(np.float64)
    if config.blinks:
        blink = blink_weights(_rng(config.seed, "blinks"), frames, config.fps, BlinkConfig())
        for side in ("Left", "Right"):
            lid, wide = blendshape_index(f"eyeBlink{side}")[0], blendshape_index(f"eyeWide{side}")[0]
            weights[:, lid] = np.maximum(weights[:, lid], blink)
            weights[:, wide] *= 1.0 - blink
    if config.gaze:
        weights += gaze_weights(_rng(config.seed, "gaze"), frames, config.fps, GazeConfig())
    weights = np.clip(weights, 0.0, 1.0)
    sealed = speech.lips_together > config.closure_threshold
    weights = seal_lips(subject.rig, weights, sealed)
    if config.head_motion:
        energy = speech_energy(samples, sample_rate, config.fps, frames)
        poses = head_poses(_rng(config.seed, "head"), energy, config.fps, subject.head)
    else:
        poses = np.tile(np.eye(4), (frames, 1, 1))
        poses[:, 2, 3] = -subject.head.distance
    return NeutralLayer(blendshapes=weights.astype(np.float32), lips_together=speech.lips_together.astype(np.float32),
                        sealed=sealed, head_pose=poses.astype(np.float32))


def apply_emotion(layer: NeutralLayer, mix: np.ndarray, intensity: np.ndarray, emotion_model,
                  subject: SubjectIdentity) -> tuple[np.ndarray, np.ndarray]:
    """The neutral layer + (T, 8) mix + (T,) intensity -> final (T, 52) blendshapes and (T, 478, 3) landmarks."""
    rig = subject.rig
    neutral_weights = layer.blendshapes.astype(np.float64)
    neutral_landmarks = rig.pose(neutral_weights)
    active = (1.0 - mix[:, 0]) * intensity > 1e-6
    weights = neutral_weights.copy()
    if active.any():
        emotional = emotion_model.apply(neutral_landmarks[active], rig.neutral, mix[active], intensity[active])
        # One batch for both solves (rows are solved independently, so this only saves per-step overhead).
        both = BlendshapeSolver.for_rig(rig).solve(np.concatenate([emotional, neutral_landmarks[active]]))
        change = both[:len(emotional)] - both[len(emotional):]
        weights[active] = np.clip(neutral_weights[active] + change, 0.0, 1.0)
        weights = seal_lips(rig, weights, layer.sealed)
    return weights.astype(np.float32), rig.pose(weights).astype(np.float32)


def build_take(layer: NeutralLayer, curves: EmotionCurves, emotion_model, subject: SubjectIdentity,
               config: GenerateConfig, audio: AudioRef | None, provenance: dict[str, Any]) -> Take:
    frames = len(layer.blendshapes)
    mix, intensity = curves.sample(config.fps, frames)
    weights, landmarks = apply_emotion(layer, mix.astype(np.float64), intensity.astype(np.float64),
                                       emotion_model, subject)
    tracks = Tracks(landmarks=landmarks, blendshapes=weights, emotion=mix.astype(np.float32),
                    head_pose=layer.head_pose)
    return Take(fps=config.fps, tracks=tracks, audio=audio, subject=SubjectRef(subject.name, None),
                provenance={"tool": "realtalk generate", "version": __version__, "config": asdict(config),
                            "subject": {"name": subject.name, "source": subject.source, "sha256": subject.sha256},
                            "emotion_curves": curves.to_json(), "emotion_model_sha256": emotion_model.sha256,
                            **provenance})


def write_rig_mesh(subject: SubjectIdentity, out: Path) -> Path:
    """``rig.npz`` beside the Take: the subject's linear rig as a mesh, for the Blender add-on's proxy head."""
    rig = subject.rig
    deltas = {name: rig.delta(name).astype(np.float32) for name in rig.names}
    return save_rig_mesh(RigMesh(neutral=rig.neutral.astype(np.float32), triangles=rig.triangles.astype(np.int32),
                                 deltas=deltas), out)


def write_generated(take: Take, layer: NeutralLayer, out: Path, subject: SubjectIdentity | None = None) -> Path:
    """Write the neutral layer (and the subject's ``rig.npz``), then the Take (take.json last, so a folder
    without it is unfinished)."""
    layer.save(out)
    if subject is not None:
        write_rig_mesh(subject, out)
    take.provenance["layers_sha256"] = layer.sha256(out)
    return save_take(take, out)
