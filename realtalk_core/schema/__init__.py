"""The Take schema: channel names, the Take data model, reading, writing and validation.

Importable with numpy and the standard library only (Blender's Python has no torch).
"""

from .channels import (ARKIT_BLENDSHAPE_NAMES, BLENDSHAPE_GROUPS, EMOTION_NAMES, LANDMARK_GROUPS,
                       LANDMARK_TOPOLOGY, LANDMARKS_68, LANDMARKS_68_GROUPS, NUM_LANDMARKS,
                       blendshape_index, channel_index, emotion_index)
from .errors import RealtalkError, TakeError
from .fileio import atomic_write, resolve_inside, sha256_file
from .io import attach_audio, audio_path, check_audio, load_take, read_header, save_take
from .summary import summarize
from .take import (COORDINATE_FRAME, SCHEMA_VERSION, TAKE_JSON, TRACK_SHAPES, TRACKS_NPZ, AudioRef,
                   SubjectRef, Take, Tracks)

__all__ = [
    "ARKIT_BLENDSHAPE_NAMES", "BLENDSHAPE_GROUPS", "EMOTION_NAMES", "LANDMARK_GROUPS", "LANDMARK_TOPOLOGY",
    "LANDMARKS_68", "LANDMARKS_68_GROUPS", "NUM_LANDMARKS", "blendshape_index", "channel_index",
    "emotion_index", "RealtalkError", "TakeError", "atomic_write", "resolve_inside", "sha256_file",
    "attach_audio", "audio_path", "check_audio", "load_take", "read_header", "save_take", "summarize",
    "COORDINATE_FRAME", "SCHEMA_VERSION", "TAKE_JSON", "TRACK_SHAPES", "TRACKS_NPZ", "AudioRef",
    "SubjectRef", "Take", "Tracks",
]
