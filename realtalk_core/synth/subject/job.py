"""The job file a render worker runs: which frames of which sequence, where, and how.

The caller writes the sequence (``blendshapes``, ``head_pose``, ``rest_pose``) to an
``.npz`` and one JSON job per worker; :func:`load_job` checks both and raises
:class:`SubjectRenderError` (one line) on anything wrong. Standard library and numpy only.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ...schema.channels import ARKIT_BLENDSHAPE_NAMES
from ...schema.errors import RealtalkError
from ...schema.fileio import atomic_write
from .config_io import from_dict, to_dict
from .engines import ENGINES
from .scene_config import SubjectSceneConfig

JOB_FORMAT = "realtalk-subject-job"
JOB_VERSION = 1
MAX_JOB_BYTES = 1 << 20


class SubjectRenderError(RealtalkError):
    """A subject render cannot run: bad inputs, a bad job file, or a failed worker."""


@dataclass(frozen=True)
class RenderJob:
    """One worker's share of a sequence."""

    sequence: str
    """Path of the .npz holding blendshapes (T, 52), head_pose (T, 4, 4) and rest_pose (4, 4)."""
    out_dir: str
    """Folder receiving frames/, masks/ and background.png."""
    frames: tuple[int, ...]
    """Frame indices this worker renders (skipping those already written)."""
    size: int
    """Square image size in pixels."""
    engine: str = "cycles"
    """RGB engine: cycles, eevee or workbench."""
    samples: int = 16
    """Samples per pixel (Cycles, EEVEE)."""
    denoise: bool = True
    """Denoise Cycles renders with OpenImageDenoise."""
    threads: int = 0
    """Render threads of this worker; 0 = all cores."""
    background: bool = False
    """Also render the clean plate background.png (one worker does it)."""
    assets: str | None = None
    """Where face_landmarker.task is (None: the default lookup)."""
    scene: SubjectSceneConfig = field(default_factory=SubjectSceneConfig)
    """The subject and its studio."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["scene"] = to_dict(self.scene)
        return {"format": JOB_FORMAT, "version": JOB_VERSION, **data}


def write_job(job: RenderJob, path: Path) -> Path:
    with atomic_write(path, "w") as handle:
        json.dump(job.to_json(), handle, indent=1)
    return path


def load_job(path: str | Path) -> RenderJob:
    """Read and check a job file; raises SubjectRenderError with one line naming the file."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_JOB_BYTES + 1)
    except OSError as err:
        raise SubjectRenderError(f"{path}: cannot read the job file ({err.strerror or err})") from None
    if len(raw) > MAX_JOB_BYTES:
        raise SubjectRenderError(f"{path}: job file larger than {MAX_JOB_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise SubjectRenderError(f"{path}: not a JSON job file ({err})") from None
    if not isinstance(data, dict) or data.get("format") != JOB_FORMAT:
        raise SubjectRenderError(f"{path}: not a {JOB_FORMAT} file")
    if data.get("version") != JOB_VERSION:
        raise SubjectRenderError(f"{path}: job version {data.get('version')!r} is not {JOB_VERSION}")
    try:
        body = {k: v for k, v in data.items() if k not in ("format", "version")}
        scene = from_dict(SubjectSceneConfig, body.pop("scene", {}), "scene")
        job = RenderJob(scene=scene, **_checked(body))
    except (TypeError, ValueError) as err:
        raise SubjectRenderError(f"{path}: {err}") from None
    return job


def _checked(body: dict[str, Any]) -> dict[str, Any]:
    """Type-check the plain fields of a job (ValueError / TypeError on a bad one)."""
    for key in ("sequence", "out_dir"):
        if not isinstance(body.get(key), str) or not body[key]:
            raise ValueError(f"field {key!r} must be a non-empty string")
    frames = body.get("frames")
    if not isinstance(frames, list) or not all(isinstance(f, int) and not isinstance(f, bool) and f >= 0
                                               for f in frames):
        raise ValueError("field 'frames' must be a list of frame indices")
    body["frames"] = tuple(frames)
    size = body.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or not 16 <= size <= 4096:
        raise ValueError("field 'size' must be an integer in [16, 4096]")
    if body.get("engine", "cycles") not in ENGINES:
        raise ValueError(f"field 'engine' must be one of {', '.join(ENGINES)}")
    samples = body.get("samples", 16)
    if not isinstance(samples, int) or isinstance(samples, bool) or samples < 1:
        raise ValueError("field 'samples' must be a positive integer")
    return body


def load_sequence(job: RenderJob) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(T, 52) blendshapes, (T, 4, 4) head poses and the (4, 4) rest pose of a job, checked."""
    try:
        with np.load(job.sequence, allow_pickle=False) as data:
            weights, poses, rest = (np.asarray(data[k], np.float64) for k in ("blendshapes", "head_pose", "rest_pose"))
    except (OSError, KeyError, ValueError) as err:
        raise SubjectRenderError(f"{job.sequence}: cannot read the sequence ({err})") from None
    check_sequence(weights, poses, job.sequence)
    if rest.shape != (4, 4) or not np.isfinite(rest).all():
        raise SubjectRenderError(f"{job.sequence}: rest_pose must be a finite 4x4 matrix")
    if job.frames and max(job.frames) >= len(weights):
        raise SubjectRenderError(f"{job.sequence}: frame {max(job.frames)} is past the sequence's {len(weights)} frames")
    return weights, poses, rest


def check_sequence(blendshapes: np.ndarray, head_pose: np.ndarray, where: object = "sequence") -> None:
    """Raise SubjectRenderError unless blendshapes is (T, 52) and head_pose (T, 4, 4), finite, T >= 1."""
    count = len(ARKIT_BLENDSHAPE_NAMES)
    if blendshapes.ndim != 2 or blendshapes.shape[1] != count or len(blendshapes) < 1:
        raise SubjectRenderError(f"{where}: blendshapes must be (T, {count}), got {tuple(blendshapes.shape)}")
    if head_pose.shape != (len(blendshapes), 4, 4):
        raise SubjectRenderError(f"{where}: head_pose must be ({len(blendshapes)}, 4, 4), got {tuple(head_pose.shape)}")
    if not (np.isfinite(blendshapes).all() and np.isfinite(head_pose).all()):
        raise SubjectRenderError(f"{where}: blendshapes and head_pose must be finite")
    if (head_pose[:, 2, 3] > -0.1).any():
        raise SubjectRenderError(f"{where}: every head must be at least 0.1 m in front of the camera (z < -0.1)")
