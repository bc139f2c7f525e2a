"""``realtalk process VIDEO --out DATASET``: one talking video -> a subject dataset.

probe -> detect pass -> face-coverage check -> smoothed crop boxes -> track pass (chunked,
resumable) -> gap filling, smoothing, head frame -> audio and features -> split ->
tracks.npz -> dataset.json (last). Until dataset.json exists the folder is unfinished,
and the same command resumes it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .. import __version__
from ..assets.canonical_mesh import load_canonical_mesh, neutral_landmarks
from ..audio import AudioFeatureConfig
from ..progress import Progress
from ..schema.fileio import atomic_write, sha256_file
from ..schema.npzsafe import save_npz
from .assemble import AssembleConfig, assemble
from .audio_extract import SAMPLE_RATE, extract_wav, speech_features
from .crop import CropConfig, box_steadiness, smooth_boxes
from .dataset import (AUDIO, AUDIO_FEATURES, BACKGROUND, BACKGROUND_SEEN, FORMAT, FRAMES_DIR, MANIFEST, TRACKS,
                      VERSION, contiguous_split, frame_name)
from .decode import count_frames
from .errors import NO_SPACE, ProcessError, ResumableError, disk_full
from .gaps import describe, runs
from .masks import MASK_LABELS, MaskConfig
from .passes import PassConfig, detect_pass, track_pass
from .probe import MIN_SECONDS, VideoInfo, probe
from .search import FinderConfig
from .tracker import UNOBSERVED_BLENDSHAPES, TrackerConfig
from .work import WorkDir


@dataclass(frozen=True)
class ProcessConfig:
    """Everything that decides a dataset's content (stored in its manifest)."""

    passes: PassConfig = field(default_factory=PassConfig)
    crop: CropConfig = field(default_factory=CropConfig)
    tracker: TrackerConfig = field(default_factory=TrackerConfig)
    finder: FinderConfig = field(default_factory=FinderConfig)
    masks: MaskConfig = field(default_factory=MaskConfig)
    assemble: AssembleConfig = field(default_factory=AssembleConfig)
    audio: AudioFeatureConfig = field(default_factory=AudioFeatureConfig)
    max_missing: float = 0.2            #: fail when more than this fraction of frames has no face
    min_seconds: float = MIN_SECONDS
    val_fraction: float = 0.1           #: the last part of the clip is the validation split
    split_gap_s: float = 1.0            #: frames between train and val left out, so no window spans both

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def process_video(video: Path, out: Path, task: Path, progress: Progress, config: ProcessConfig | None = None,
                  audio: Path | None = None, labels: Mapping[str, Any] | None = None,
                  overwrite: bool = False) -> Path:
    """Build the dataset in ``out`` and return its manifest path. ``audio`` replaces the video's own sound."""
    config = config or ProcessConfig()
    info = probe(Path(video), config.min_seconds)
    if audio is not None:
        probe_audio(Path(audio))
    out = Path(out)
    work = WorkDir(out)
    created = not out.exists()
    state = {"source": info.path.name, "sha256": sha256_file(info.path),
             "audio_sha256": sha256_file(audio) if audio else None, "config": config.to_json()}
    try:
        resumed = work.prepare(state, overwrite)
        if resumed:
            progress.warning(f"{out}: resuming an unfinished run")
        return _run(info, out, work, task, progress, config, Path(audio) if audio else None, dict(labels or {}),
                    state["sha256"])
    except ResumableError:
        raise
    except ProcessError:
        _discard(out, work, created)
        raise
    except OSError as err:
        if err.errno in NO_SPACE:
            raise disk_full(out, err) from None
        raise ProcessError(f"{out}: cannot write the dataset ({err.strerror or err}); check the folder's "
                           "permissions and free space, then re-run to resume") from None


def probe_audio(path: Path) -> None:
    if not path.is_file():
        raise ProcessError(f"{path}: no such audio file; check the path")


def _discard(out: Path, work: WorkDir, created: bool) -> None:
    """After a permanent failure nothing may look like a dataset: remove what this run made."""
    if created:
        shutil.rmtree(out, ignore_errors=True)
    else:
        work.remove()


def _run(info: VideoInfo, out: Path, work: WorkDir, task: Path, progress: Progress, config: ProcessConfig,
         audio: Path | None, labels: dict, source_sha: str) -> Path:
    passes = config.passes
    detected = detect_pass(info, task, work, passes, config.tracker, config.finder, config.masks, progress,
                           count_frames(info, passes.fps))
    found = detected["found"]
    total = len(found)
    if total < config.min_seconds * passes.fps:
        raise ProcessError(f"{info.path}: only {total / passes.fps:.2f} s of video could be decoded (the file may be "
                           f"truncated); at least {config.min_seconds:g} s is needed: re-export or re-copy it")
    _check_faces(info, found, detected["faces_seen"], config, progress)
    boxes = smooth_boxes(detected["boxes"], found & detected["looked"], passes.fps, (info.width, info.height),
                         config.crop)
    chunks = track_pass(info, task, out, work, boxes, detected, passes, config.tracker, config.masks, progress)
    neutral = neutral_landmarks(load_canonical_mesh(task)).astype(np.float64)
    tracks, report = assemble(chunks, boxes, passes.size, passes.fps, neutral, config.assemble)
    missing = 1.0 - report["tracked_fraction"]
    if missing > config.max_missing:
        raise ProcessError(_too_few_faces(info, missing, [tuple(r) for r in report["missing_frames"]], config))
    report["crop_steadiness"] = round(box_steadiness(boxes), 5)
    report["faces_in_view_max"] = int(detected["faces_seen"].max())
    _write_images_of(out, detected)
    audio_meta = _audio(info, out, audio, tracks, passes.fps, config.audio, progress)
    with atomic_write(out / TRACKS) as handle:
        save_npz(handle, tracks)
    manifest = _manifest(info, out, config, tracks, report, audio_meta, labels, source_sha,
                         float(detected["plate_scale"]))
    with atomic_write(out / MANIFEST, "w") as handle:
        json.dump(manifest, handle, indent=1)
    work.remove()
    return out / MANIFEST


def _check_faces(info: VideoInfo, found: np.ndarray, faces_seen: np.ndarray, config: ProcessConfig,
                 progress: Progress) -> None:
    missing = 1.0 - float(found.mean())
    if missing > config.max_missing:
        raise ProcessError(_too_few_faces(info, missing, runs(~found), config))
    crowded = runs(faces_seen > 1)
    if crowded:
        progress.warning(f"{info.path}: up to {int(faces_seen.max())} faces in view (frames {describe(crowded)}); "
                         "following the largest, most central face throughout")


def _too_few_faces(info: VideoInfo, missing: float, ranges: list, config: ProcessConfig) -> str:
    return (f"{info.path}: no face found in {100 * missing:.0f}% of frames (more than "
            f"{100 * config.max_missing:.0f}%): frames {describe(ranges)}; trim the clip to the part where the face "
            "is visible, or use a recording where it stays in view")


def _write_images_of(out: Path, detected: dict) -> None:
    import cv2

    for name, image in ((BACKGROUND, detected["plate"][:, :, ::-1]),
                        (BACKGROUND_SEEN, detected["plate_seen"].astype(np.uint8) * 255)):
        ok, encoded = cv2.imencode(".png", image)
        if not ok:
            raise OSError(f"could not encode {name}")
        with atomic_write(out / name) as handle:
            handle.write(encoded.tobytes())


def _audio(info: VideoInfo, out: Path, audio: Path | None, tracks: dict, fps: float, config: AudioFeatureConfig,
           progress: Progress) -> dict | None:
    source = audio or (info.path if info.has_audio else None)
    if source is None:
        progress.warning(f"{info.path}: the video has no audio stream; the dataset is marked as having no audio, "
                         "and trainers that need speech will refuse it")
        return None
    frames = len(tracks["valid"])
    with progress.stage("audio", 1) as stage:
        extract_wav(source, out / AUDIO, duration=frames / fps)
        features = speech_features(out / AUDIO, fps, frames, config)
        stage.advance()
    tracks[AUDIO_FEATURES] = features.values
    return {"file": AUDIO, "source": source.name, "sample_rate": SAMPLE_RATE, "feature_names": list(features.names),
            "feature_config": config.to_json(), "voiced_fraction": round(float(features.voiced.mean()), 4)}


def _manifest(info: VideoInfo, out: Path, config: ProcessConfig, tracks: dict, report: dict, audio: dict | None,
              labels: dict, source_sha: str, plate_scale: float) -> dict[str, Any]:
    frames = len(tracks["valid"])
    files = {name: sha256_file(out / name) for name in (TRACKS, BACKGROUND, BACKGROUND_SEEN)}
    if audio:
        files[AUDIO] = sha256_file(out / AUDIO)
    files[FRAMES_DIR] = [sha256_file(out / FRAMES_DIR / frame_name(i, "jpg")) for i in range(frames)]
    return {
        "format": FORMAT, "version": VERSION, "created_by": f"realtalk {__version__}",
        "source": {**info.to_json(), "sha256": source_sha},
        "labels": labels,
        "frames": frames, "fps": config.passes.fps, "size": config.passes.size,
        "has_audio": audio is not None, "audio": audio or {},
        "coordinates": {"landmarks": "head frame, metres (the Take's COORDINATE_FRAME); pose and scale removed",
                        "landmarks_image": "crop image: x right, y down in [0, 1]; z on x's scale, smaller = nearer",
                        "head_pose": "MediaPipe's facial transform: canonical face -> its camera, metres",
                        "crop_boxes": "x0, y0, side in source-video pixels"},
        "blendshapes": {"source": "MediaPipe face_blendshapes, mapped by name", "unobserved": list(UNOBSERVED_BLENDSHAPES)},
        "masks": {"labels": MASK_LABELS},
        "background": {"file": BACKGROUND, "seen_file": BACKGROUND_SEEN, "scale": plate_scale},
        "split": contiguous_split(frames, config.passes.fps, config.val_fraction, config.split_gap_s),
        "tracking": report,
        "crop_boxes": np.round(tracks["crop_boxes"], 2).tolist(),
        "confidence": np.round(tracks["confidence"], 3).tolist(),
        "config": config.to_json(),
        "files": files,
    }
