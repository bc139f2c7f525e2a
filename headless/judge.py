"""The outside judge: does MediaPipe's own blendshape model recognise the rig's channels?

For each major channel the rig is posed twice, at a baseline and with the channel on;
both faces are drawn by the proxy renderer from a few head poses (views), and MediaPipe's
FaceLandmarker scores every image with its blendshape model:

    rig weights --rig.pose--> (478, 3) --ProxyRenderer, per view--> RGB --FaceLandmarker--> 51 scores

    rise[channel, mp_channel] = mean over views of score(channel on) - score(baseline)

The baseline is the neutral face, except for the channels in ``ON_TOP_OF``: mouthClose
only means something while the jaw is open (it is "lips together despite the open jaw"),
so it is driven on top of a partly open jaw and compared with that jaw alone.

A channel is *recognised* when its own rise exceeds the rise of every unrelated MediaPipe
channel. "Related" is the small, explicit ``RELATED`` table below; everything else counts,
the channel's mirror partner included.

mediapipe is imported lazily (the ``media`` extra); nothing here keeps global state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np

from realtalk_core.assets.canonical_mesh import CanonicalMesh, load_canonical_mesh
from realtalk_core.assets.store import FACE_LANDMARKER, require
from realtalk_core.rig import FaceRig
from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES

from .proxy import ProxyRenderConfig, ProxyRenderer

#: The channels the judge drives: the ones a viewer reads first on a face.
MAJOR_CHANNELS: tuple[str, ...] = (
    "jawOpen", "mouthClose", "mouthSmileLeft", "mouthSmileRight", "mouthFrownLeft", "mouthFrownRight",
    "mouthPucker", "mouthFunnel", "eyeBlinkLeft", "eyeBlinkRight", "browInnerUp", "browDownLeft",
    "browDownRight", "cheekPuff",
)

#: Pairs of channels whose scores may rise together without counting against the driven one,
#: each with its anatomical reason. The relation is symmetric. Kept deliberately small: mirror
#: partners are NOT related, so a left channel must also beat its right twin.
RELATED: tuple[tuple[str, str, str], ...] = (
    ("eyeBlinkLeft", "eyeSquintLeft", "orbicularis oculi narrows the lids in both"),
    ("eyeBlinkRight", "eyeSquintRight", "orbicularis oculi narrows the lids in both"),
    ("mouthPucker", "mouthFunnel", "orbicularis oris gathers and protrudes the lips in both"),
)

#: Channels driven on top of another one, which is then also the baseline: name -> base channel.
ON_TOP_OF: Mapping[str, str] = MappingProxyType({"mouthClose": "jawOpen"})

#: MediaPipe's extra category that is not an ARKit channel.
MP_NEUTRAL = "_neutral"


@dataclass(frozen=True)
class JudgeConfig:
    """How the rig is shown to MediaPipe."""

    size: int = 320
    """Side of the rendered square images, in pixels."""
    views: tuple[tuple[float, float], ...] = ((0.0, 0.0), (-25.0, 0.0), (25.0, 0.0), (0.0, 12.0))
    """Head poses as (yaw, pitch) in degrees. Yaw turns about the head's +y axis (positive: the nose
    turns to the image's right); pitch about its +x axis (positive: the nose tips down). Side and
    tilted views show moves along z (cheekPuff, lip protrusion) that a frontal view hides."""
    weight: float = 1.0
    """Weight of the driven channel."""
    base_weight: float = 0.5
    """Weight of the base channel of an ``ON_TOP_OF`` channel; the driven one is at most this."""
    distance_m: float = 0.6
    """Distance from the camera to the head's origin, in metres."""
    channels: tuple[str, ...] = MAJOR_CHANNELS
    """The channels to drive, in row order."""


def related(channel: str) -> dict[str, str]:
    """The channels related to ``channel`` by the ``RELATED`` pairs, name -> reason (mirror partners are not)."""
    out = {}
    for a, b, reason in RELATED:
        if channel in (a, b):
            out[b if channel == a else a] = reason
    return out


def view_pose(yaw_deg: float, pitch_deg: float, distance_m: float) -> np.ndarray:
    """(4, 4) head -> camera: pitch about +x, then yaw about +y, then the head moved to z = -distance."""
    cy, sy = math.cos(math.radians(yaw_deg)), math.sin(math.radians(yaw_deg))
    cp, sp = math.cos(math.radians(pitch_deg)), math.sin(math.radians(pitch_deg))
    yaw = np.array([[cy, 0.0, sy], [0.0, 1.0, 0.0], [-sy, 0.0, cy]])
    pitch = np.array([[1.0, 0.0, 0.0], [0.0, cp, -sp], [0.0, sp, cp]])
    pose = np.eye(4)
    pose[:3, :3] = yaw @ pitch
    pose[2, 3] = -distance_m
    return pose


def stimulus(rig: FaceRig, channel: str, config: JudgeConfig) -> tuple[np.ndarray, np.ndarray]:
    """(baseline, driven) weight vectors, (52,) each, for one channel."""
    base = ON_TOP_OF.get(channel)
    if base is None:
        return rig.weights(), rig.weights({channel: config.weight})
    on = min(config.weight, config.base_weight)
    return rig.weights({base: config.base_weight}), rig.weights({base: config.base_weight, channel: on})


class MediaPipeScorer:
    """MediaPipe's FaceLandmarker with blendshapes, in image mode; use as a context manager."""

    def __init__(self, task_path: Path) -> None:
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        self._mp = mp
        options = vision.FaceLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(task_path)), running_mode=vision.RunningMode.IMAGE,
            num_faces=1, output_face_blendshapes=True)
        self._landmarker = vision.FaceLandmarker.create_from_options(options)

    def scores(self, rgb: np.ndarray) -> dict[str, float] | None:
        """MediaPipe's blendshape scores of the (H, W, 3) uint8 RGB image by name; None when no face is found."""
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        result = self._landmarker.detect(image)
        if not result.face_blendshapes:
            return None
        return {c.category_name: float(c.score) for c in result.face_blendshapes[0]}

    def close(self) -> None:
        self._landmarker.close()

    def __enter__(self) -> "MediaPipeScorer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class Agreement:
    """The agreement matrix: how MediaPipe's scores rise when each driven channel is turned on."""

    driven: tuple[str, ...]   # (D,) rows: the rig channels driven
    judged: tuple[str, ...]   # (J,) columns: MediaPipe's channels (51: ARKit without tongueOut), its order
    per_view: np.ndarray      # (D, V, J) score rise per view; NaN where a face was not found
    config: JudgeConfig

    @property
    def rise(self) -> np.ndarray:
        """(D, J) mean rise over the views where both images were read (NaN if none was)."""
        found = ~np.isnan(self.per_view)
        total = np.where(found, self.per_view, 0.0).sum(axis=1)
        count = found.sum(axis=1)
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def views_found(self, channel: str) -> int:
        """How many views of ``channel`` (baseline and driven) had a face found."""
        return int((~np.isnan(self.per_view[self.driven.index(channel), :, 0])).sum())

    def value(self, channel: str, judged: str) -> float:
        """Mean rise of MediaPipe's ``judged`` score when ``channel`` is driven."""
        return float(self.rise[self.driven.index(channel), self.judged.index(judged)])

    def own(self, channel: str) -> float:
        """Mean rise of the driven channel's own MediaPipe score."""
        return self.value(channel, channel)

    def top_unrelated(self, channel: str) -> tuple[str, float]:
        """The strongest rise among the channels neither ``channel`` itself nor related to it."""
        skip = set(related(channel)) | {channel}
        row = self.rise[self.driven.index(channel)]
        candidates = [(float(row[k]), name) for k, name in enumerate(self.judged) if name not in skip]
        value, name = max(candidates)
        return name, value

    def top_related(self, channel: str) -> tuple[str, float] | None:
        """The strongest rise among the channels related to ``channel``; None when it has none."""
        row = self.rise[self.driven.index(channel)]
        names = [name for name in related(channel) if name in self.judged]
        if not names:
            return None
        value, name = max((float(row[self.judged.index(name)]), name) for name in names)
        return name, value

    def passed(self, channel: str) -> bool:
        """True when the channel's own rise beats every unrelated channel's rise."""
        own = self.own(channel)
        return bool(np.isfinite(own) and own > self.top_unrelated(channel)[1])

    @property
    def verdicts(self) -> dict[str, bool]:
        return {channel: self.passed(channel) for channel in self.driven}


def judge_rig(rig: FaceRig, renderer: ProxyRenderer, scorer: MediaPipeScorer,
              config: JudgeConfig) -> Agreement:
    """Drive each of ``config.channels``, score every view, and return the agreement matrix."""
    poses = [view_pose(yaw, pitch, config.distance_m) for yaw, pitch in config.views]
    cache: dict[bytes, list[dict[str, float] | None]] = {}

    def scored(weights: np.ndarray) -> list[dict[str, float] | None]:
        key = weights.tobytes()
        if key not in cache:
            landmarks = rig.pose(weights)
            cache[key] = [scorer.scores(renderer.render(landmarks, pose)) for pose in poses]
        return cache[key]

    pairs = [tuple(scored(w) for w in stimulus(rig, channel, config)) for channel in config.channels]
    found = [scores for baseline, _ in pairs for scores in baseline if scores is not None]
    if not found:
        raise RuntimeError("MediaPipe found no face in any baseline image; check the renderer and views")
    judged = tuple(name for name in found[0] if name != MP_NEUTRAL)
    unknown = set(judged) - set(ARKIT_BLENDSHAPE_NAMES)
    if unknown:
        raise ValueError(f"MediaPipe reported channels that are not ARKit's: {sorted(unknown)}")
    per_view = np.full((len(pairs), len(poses), len(judged)), np.nan)     # (D, V, J)
    for row, (baseline, driven) in enumerate(pairs):
        for view, (before, after) in enumerate(zip(baseline, driven)):
            if before is not None and after is not None:
                per_view[row, view] = [after[name] - before[name] for name in judged]
    return Agreement(driven=tuple(config.channels), judged=judged, per_view=per_view, config=config)


def run_judge(config: JudgeConfig | None = None, rig: FaceRig | None = None,
              mesh: CanonicalMesh | None = None, task_path: Path | None = None) -> Agreement:
    """The judge end to end: the default rig of MediaPipe's canonical face unless one is given."""
    config = config or JudgeConfig()
    task_path = task_path or require(FACE_LANDMARKER)
    mesh = mesh or load_canonical_mesh(task_path)
    rig = rig or FaceRig.build(mesh)
    renderer = ProxyRenderer(mesh, ProxyRenderConfig(size=config.size))
    with MediaPipeScorer(task_path) as scorer:
        return judge_rig(rig, renderer, scorer, config)
