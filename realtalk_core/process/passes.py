"""The two passes over the video.

1. **Detect** (at a reduced size): follow the face through the whole clip, note frames
   without a face and frames with several faces, and sample frames for the background plate.
2. **Track** (full resolution, in chunks): crop each frame with the smoothed box, track the
   face again in the crop, write the frame and its mask. Each finished chunk is saved, so
   an interrupted run restarts at the first unfinished chunk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ..progress import Progress
from ..schema.channels import ARKIT_BLENDSHAPE_NAMES, NUM_LANDMARKS
from .crop import crop_frame
from .dataset import FRAMES_DIR, MASKS_DIR, frame_name
from .decode import decode_frames, scaled_size
from .masks import MaskConfig, PlateBuilder, face_mask, label_image, person_mask, person_prior
from .probe import VideoInfo
from .search import FaceFinder, FinderConfig
from .tracker import FaceTracker, TrackerConfig
from .work import WorkDir

DETECT = "detect.npz"


@dataclass(frozen=True)
class PassConfig:
    """Settings shared by both passes."""

    fps: float = 25.0
    size: int = 512
    detect_max_side: int = 640      #: the detect pass decodes at most this long side
    detect_stride: int = 2          #: the detect pass looks at every n-th frame (the crop box is smooth anyway)
    chunk_frames: int = 100         #: frames per resumable chunk of the track pass
    jpeg_quality: int = 95


def detect_pass(info: VideoInfo, task: Path, work: WorkDir, config: PassConfig, tracker: TrackerConfig,
                finder: FinderConfig, masks: MaskConfig, progress: Progress,
                expected_frames: int) -> dict[str, np.ndarray]:
    """Face boxes (source pixels), found flags, faces seen and the plate, per frame; cached in ``work``."""
    if work.has(DETECT):
        return work.load(DETECT)
    width, height = scaled_size(info, config.detect_max_side)
    scale = width / info.width
    boxes, found, seen = [], [], []
    plate = PlateBuilder(expected_frames, masks)
    with FaceFinder(task, config.fps, tracker, finder) as faces, progress.stage("detect", expected_frames) as stage:
        for index, rgb in enumerate(decode_frames(info, config.fps, config.detect_max_side)):
            if index % config.detect_stride:
                boxes.append(np.zeros(4))
                found.append(None)
                seen.append(0)
                stage.advance()
                continue
            face = faces.find(rgb, index)
            if face is None:
                boxes.append(np.zeros(4))
                plate.offer(index, rgb, None)
            else:
                pixels = face.landmarks_px[:, :2]
                boxes.append(face.box / scale)
                plate.offer(index, rgb, person_prior(pixels, rgb.shape[:2], masks))
            found.append(face is not None)
            seen.append(0 if face is None else face.faces_seen)
            stage.advance()
    if not found:
        raise ValueError("no frames decoded")
    looked = np.array([f is not None for f in found])
    found = _nearest_fill(np.array([bool(f) for f in found]), looked)
    background, background_seen = plate.build() if plate.frames else (np.zeros((height, width, 3), np.uint8),
                                                                      np.zeros((height, width), bool))
    result = {"boxes": np.asarray(boxes, np.float64), "found": found, "looked": looked,
              "faces_seen": np.asarray(seen, np.int32),
              "plate": background, "plate_seen": background_seen, "plate_scale": np.float64(scale)}
    work.save(DETECT, result)
    return result


def _nearest_fill(flags: np.ndarray, looked: np.ndarray) -> np.ndarray:
    """Frames the detect pass skipped take the flag of the nearest frame it looked at."""
    index = np.flatnonzero(looked)
    nearest = index[np.clip(np.searchsorted(index, np.arange(len(flags))), 0, len(index) - 1)]
    previous = index[np.clip(np.searchsorted(index, np.arange(len(flags))) - 1, 0, len(index) - 1)]
    pick = np.where(np.abs(previous - np.arange(len(flags))) <= np.abs(nearest - np.arange(len(flags))),
                    previous, nearest)
    return flags[pick]


def chunk_name(chunk: int) -> str:
    return f"track_{chunk:05d}.npz"


def track_pass(info: VideoInfo, task: Path, out: Path, work: WorkDir, boxes: np.ndarray, detected: dict,
               config: PassConfig, tracker: TrackerConfig, masks: MaskConfig, progress: Progress) -> list[dict]:
    """Crop, track, and write frames and masks; returns the per-chunk arrays in order."""
    total = len(boxes)
    chunks = range((total + config.chunk_frames - 1) // config.chunk_frames)
    todo = [c for c in chunks if not work.has(chunk_name(c))]
    (out / FRAMES_DIR).mkdir(exist_ok=True)
    (out / MASKS_DIR).mkdir(exist_ok=True)
    plate, plate_seen = detected["plate"], detected["plate_seen"]
    scale = float(detected["plate_scale"])
    with progress.stage("track", total) as stage:
        stage.advance(total - sum(min(config.chunk_frames, total - c * config.chunk_frames) for c in todo))
        if todo:
            _track_chunks(info, task, out, work, boxes, todo, config, tracker, masks, plate, plate_seen, scale, stage)
    return [work.load(chunk_name(c)) for c in chunks]


def _track_chunks(info, task, out, work, boxes, todo, config, tracker_config, mask_config, plate, plate_seen,
                  scale, stage) -> None:
    """Main thread: decode, crop, track. One worker thread: masks, encoding, writing (OpenCV frees the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    size, chunk_frames = config.size, config.chunk_frames
    first = todo[0] * chunk_frames
    pending: list = []
    # The crop is centred on the followed face, so one face is enough here.
    single = TrackerConfig(1, tracker_config.min_detection, tracker_config.min_presence, tracker_config.min_tracking)
    with FaceTracker(task, config.fps, single) as faces, ThreadPoolExecutor(1) as writer:
        for index, rgb in enumerate(decode_frames(info, config.fps)):
            if index >= len(boxes):
                break
            chunk = index // chunk_frames
            if index < first or chunk not in todo:
                continue
            crop = crop_frame(rgb, boxes[index], size)
            face = faces.track(crop, index)
            pending.append(writer.submit(_finish_frame, out, index, crop, face, boxes[index], plate, plate_seen,
                                         scale, config, mask_config))
            stage.advance()
            if index % chunk_frames == chunk_frames - 1 or index == len(boxes) - 1:
                rows = [future.result() for future in pending]               # re-raises a worker's error
                pending = []
                os.sync()                                                    # the frames are on disk first
                work.save(chunk_name(chunk), {key: np.asarray([row[key] for row in rows]) for key in rows[0]})


def _finish_frame(out, index, crop, face, box, plate, plate_seen, scale, config, mask_config) -> dict:
    row = _frame_row(crop, face, box, plate, plate_seen, scale, config.size, mask_config)
    _write_images(out, index, crop, row.pop("labels"), config.jpeg_quality)
    return row


def _frame_row(crop, face, box, plate, plate_seen, scale, size, mask_config) -> dict:
    if face is None:
        empty = np.zeros((size, size), np.uint8)
        return {"landmarks": np.zeros((NUM_LANDMARKS, 3), np.float32), "blendshapes":
                np.zeros(len(ARKIT_BLENDSHAPE_NAMES), np.float32), "transform": np.eye(4, dtype=np.float32),
                "found": False, "faces_seen": 0, "labels": empty}
    pixels = face.landmarks[:, :2] * size
    plate_crop = crop_frame(plate, box * scale, size)
    seen_crop = crop_frame(plate_seen.astype(np.uint8) * 255, box * scale, size) > 127
    face_region = face_mask(pixels, (size, size))
    prior = person_prior(pixels, (size, size), mask_config)
    person = person_mask(crop, plate_crop, seen_crop, prior, face_region, mask_config)
    return {"landmarks": face.landmarks, "blendshapes": face.blendshapes, "transform": face.transform,
            "found": True, "faces_seen": face.faces_seen, "labels": label_image(person, face_region)}


def _write_images(out: Path, index: int, crop: np.ndarray, labels: np.ndarray, quality: int) -> None:
    """Write the frame and mask through a temporary name, so no half-written image keeps a final name."""
    for folder, suffix, image, params in ((FRAMES_DIR, "jpg", crop[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality]),
                                          (MASKS_DIR, "png", labels, [cv2.IMWRITE_PNG_COMPRESSION, 1])):
        ok, encoded = cv2.imencode(f".{suffix}", image, params)
        if not ok:
            raise OSError(f"could not encode {suffix}")
        target = out / folder / frame_name(index, suffix)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(encoded.tobytes())
        os.replace(temporary, target)
