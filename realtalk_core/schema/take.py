"""The Take: the contract between every part of RealTalk Studio.

A Take is a directory::

    my_take/
      take.json     # header: schema version, timing, audio, subject, channel names, frames
      tracks.npz    # float32 arrays: landmarks, blendshapes, emotion, head_pose
      audio.wav     # optional copy of the driving audio (any name; take.json points at it)

This module holds the in-memory form. Reading, writing and validation live in
``schema.io`` and ``schema.validate``. Numpy and the standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from .channels import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES, LANDMARK_TOPOLOGY, NUM_LANDMARKS

#: Bumped on any incompatible change of take.json or tracks.npz.
SCHEMA_VERSION = 1

TAKE_JSON = "take.json"
TRACKS_NPZ = "tracks.npz"

#: The coordinate frame every Take uses; written verbatim into take.json.
#: Landmarks are in the head's own (canonical) frame; ``head_pose`` maps that
#: frame into camera space: ``p_camera = head_pose[t] @ [p_head, 1]``.
COORDINATE_FRAME: Mapping[str, str] = MappingProxyType({
    "units": "metres",
    "handedness": "right",
    "x": "subject's left (image right)",
    "y": "up",
    "z": "out of the face, towards the camera",
    "landmarks": "head space",
    "head_pose": "head space to camera space, rigid 4x4",
    "camera": "OpenGL: camera at the origin looking down -z, +y up",
})

#: Track name -> (shape after the frame axis, meaning). The frame axis T is first.
TRACK_SHAPES: Mapping[str, tuple[int, ...]] = MappingProxyType({
    "landmarks": (NUM_LANDMARKS, 3),
    "blendshapes": (len(ARKIT_BLENDSHAPE_NAMES),),
    "emotion": (len(EMOTION_NAMES),),
    "head_pose": (4, 4),
})
TRACK_DTYPE = np.dtype(np.float32)

#: Upper bound on frames in one Take (about 4.6 hours at 30 fps); larger is refused as absurd.
MAX_FRAMES = 500_000
MAX_FPS = 240.0


@dataclass(frozen=True)
class AudioRef:
    """The driving audio, copied inside the Take folder.

    ``offset`` is the position in the audio file, in seconds, that plays at the Take's
    ``frame_start``: 0 means the audio starts with the first frame; 1.5 means the first
    1.5 s of the file are skipped. A sound strip therefore starts at scene frame
    ``frame_start - offset * fps``.
    """

    path: str
    sample_rate: int
    sha256: str
    offset: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "sample_rate": self.sample_rate,
                "sha256": self.sha256, "offset": self.offset}


@dataclass(frozen=True)
class SubjectRef:
    """The subject (a trained NeRF of one person) the Take is meant for.

    ``sha256`` is None while the Take is not bound to a particular subject checkpoint.
    """

    name: str
    sha256: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "sha256": self.sha256}


@dataclass
class Tracks:
    """Per-frame arrays, all float32, frame axis first."""

    landmarks: np.ndarray     # (T, 478, 3) metres, head space
    blendshapes: np.ndarray   # (T, 52) in [0, 1], ARKIT_BLENDSHAPE_NAMES order
    emotion: np.ndarray       # (T, 8) >= 0, rows sum to 1, EMOTION_NAMES order
    head_pose: np.ndarray     # (T, 4, 4) rigid, head -> camera

    @property
    def frame_count(self) -> int:
        return int(self.landmarks.shape[0])

    def as_dict(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in TRACK_SHAPES}

    @classmethod
    def neutral(cls, frames: int, landmarks: np.ndarray) -> "Tracks":
        """A still, neutral performance: the given (478, 3) landmarks held for ``frames`` frames."""
        emotion = np.zeros((frames, len(EMOTION_NAMES)), np.float32)
        emotion[:, EMOTION_NAMES.index("neutral")] = 1.0
        return cls(
            landmarks=np.broadcast_to(landmarks.astype(np.float32), (frames, NUM_LANDMARKS, 3)).copy(),
            blendshapes=np.zeros((frames, len(ARKIT_BLENDSHAPE_NAMES)), np.float32),
            emotion=emotion,
            head_pose=np.broadcast_to(np.eye(4, dtype=np.float32), (frames, 4, 4)).copy(),
        )


@dataclass
class Take:
    """A performance: timing, references and tracks. Channel names are fixed by the schema."""

    fps: float
    tracks: Tracks
    frame_start: int = 0
    audio: AudioRef | None = None
    subject: SubjectRef | None = None
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def frame_count(self) -> int:
        return self.tracks.frame_count

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frame_count / self.fps

    def header(self) -> dict[str, Any]:
        """The take.json content for this Take."""
        return {
            "schema_version": SCHEMA_VERSION,
            "fps": self.fps,
            "frame_start": self.frame_start,
            "frame_count": self.frame_count,
            "audio": self.audio.to_json() if self.audio else None,
            "subject": self.subject.to_json() if self.subject else None,
            "emotion_names": list(EMOTION_NAMES),
            "blendshape_names": list(ARKIT_BLENDSHAPE_NAMES),
            "landmark_topology": LANDMARK_TOPOLOGY,
            "coordinate_frame": dict(COORDINATE_FRAME),
            "provenance": self.provenance,
        }
