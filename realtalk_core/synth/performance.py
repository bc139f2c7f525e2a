"""One synthetic performance: timed phones + audio + an emotion curve -> ARKit weights and head pose.

The layers, in order (each a named ARKit offset, never a column slice)::

    speech visemes (coarticulated)  x  emotion's articulation gain
  + emotion offsets (FACS action units, weighted by the curve)
  + blinks (eyeWide yields while the lid closes) and gaze drift
  -> clipped to [0, 1]
  -> lips sealed exactly on /p b m/ frames (after emotion, so no expression can part them)
  + head pose from speech energy

Every random stream (expression variation, blinks, gaze, head) has its own child seed, so
the same seed always gives the same performance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..rig import FaceRig
from ..schema.channels import ARKIT_BLENDSHAPE_NAMES, BLENDSHAPE_GROUPS, blendshape_index
from .closure import seal_lips
from .coarticulation import CoarticulationConfig, closure_frames, speech_weights
from .curves import EmotionCurve
from .emotions import EmotionOffsets, articulation_gain
from .idle import BlinkConfig, GazeConfig, HeadMotionConfig, blink_weights, gaze_weights, head_poses, speech_energy

#: Speech channels that the emotion's articulation gain scales.
SPEECH_CHANNELS = BLENDSHAPE_GROUPS["jaw"] + BLENDSHAPE_GROUPS["mouth"] + BLENDSHAPE_GROUPS["tongue"]


@dataclass(frozen=True)
class PerformanceConfig:
    """How one synthetic performance is built."""

    fps: float = 25.0
    coarticulation: CoarticulationConfig = field(default_factory=CoarticulationConfig)
    blinks: BlinkConfig = field(default_factory=BlinkConfig)
    gaze: GazeConfig = field(default_factory=GazeConfig)
    head: HeadMotionConfig = field(default_factory=HeadMotionConfig)
    #: per-performance random scale of each emotion's offsets: 1 +- this (people differ)
    expression_variation: float = 0.15


@dataclass
class Performance:
    """Per-frame ground truth of one performance."""

    fps: float
    blendshapes: np.ndarray   # (T, 52) ARKit weights in [0, 1]
    emotion: np.ndarray       # (T, 8) mixes, rows sum to 1
    head_pose: np.ndarray     # (T, 4, 4) head -> camera
    sealed: np.ndarray        # (T,) bool: frames that show a bilabial closure

    @property
    def frame_count(self) -> int:
        return int(self.blendshapes.shape[0])

    def landmarks(self, rig: FaceRig) -> np.ndarray:
        """(T, 478, 3) head-frame landmarks through the rig (exact jaw hinge)."""
        return rig.pose(self.blendshapes)


def _streams(seed: int | Sequence[int]) -> dict[str, np.random.Generator]:
    names = ("expression", "blinks", "gaze", "head")
    children = np.random.SeedSequence(seed).spawn(len(names))
    return {name: np.random.default_rng(child) for name, child in zip(names, children)}


def frame_count(duration: float, fps: float) -> int:
    """Frames covering ``duration`` seconds (at least one)."""
    return max(1, int(np.ceil(duration * fps - 1e-9)))


def perform(rig: FaceRig, phones: Sequence, samples: np.ndarray, sample_rate: int, curve: EmotionCurve,
            seed: int | Sequence[int], config: PerformanceConfig | None = None) -> Performance:
    """Build the performance of one utterance (``phones`` with ``.symbol/.start/.end`` seconds)."""
    config = config or PerformanceConfig()
    rng = _streams(seed)
    frames = frame_count(len(samples) / sample_rate, config.fps)
    times = np.arange(frames) / config.fps

    emotion = curve.sample(times)                                                   # (T, 8)
    weights = np.zeros((frames, len(ARKIT_BLENDSHAPE_NAMES)))
    speech = blendshape_index(SPEECH_CHANNELS)
    weights[:, speech] = (speech_weights(phones, times, config=config.coarticulation)[:, speech]
                          * articulation_gain(emotion)[:, None])
    offsets = EmotionOffsets.build()
    variation = 1.0 + rng["expression"].uniform(-1, 1, (offsets.table.shape[0], 1)) * config.expression_variation
    weights += EmotionOffsets(offsets.table * variation).blend(emotion)

    blink = blink_weights(rng["blinks"], frames, config.fps, config.blinks)
    for side in ("Left", "Right"):
        lid, wide = blendshape_index(f"eyeBlink{side}")[0], blendshape_index(f"eyeWide{side}")[0]
        weights[:, lid] = np.maximum(weights[:, lid], blink)
        weights[:, wide] *= 1.0 - blink
    weights += gaze_weights(rng["gaze"], frames, config.fps, config.gaze)
    weights = np.clip(weights, 0.0, 1.0)

    sealed = closure_frames(phones, times, config.coarticulation)
    weights = seal_lips(rig, weights, sealed)

    energy = speech_energy(samples, sample_rate, config.fps, frames)
    poses = head_poses(rng["head"], energy, config.fps, config.head)
    return Performance(fps=config.fps, blendshapes=weights.astype(np.float32), emotion=emotion.astype(np.float32),
                       head_pose=poses.astype(np.float32), sealed=sealed)
