"""The rendered synthetic subject written as a ``realtalk-dataset`` (the format ``realtalk process`` writes).

The camera never moves and the render is already the crop, so every frame's crop box is the
whole image; landmarks, blendshapes and head pose are the exact ground truth, not tracking,
and every frame is tracked with confidence 1. Readers cannot tell it from a processed video
except by ``source.kind == "synthetic"`` in the manifest.
"""

from __future__ import annotations

import json
import wave
from pathlib import Path
from typing import Any, Callable

import cv2
import numpy as np

from .. import __version__
from ..audio import AudioFeatureConfig, extract_features
from ..process.dataset import (AUDIO, AUDIO_FEATURES, BACKGROUND, BACKGROUND_SEEN, FORMAT, FRAMES_DIR, MANIFEST,
                               MASKS_DIR, TRACKS, VERSION, contiguous_split, frame_name)
from ..process.masks import MASK_LABELS
from ..schema.fileio import atomic_write, sha256_file
from ..schema.npzsafe import save_npz

AUDIO_RATE = 16000
VAL_FRACTION, SPLIT_GAP_S = 0.1, 1.0


def resample(samples: np.ndarray, rate: int, target: int = AUDIO_RATE) -> np.ndarray:
    """Band-limited resampling (polyphase) of mono float samples."""
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(rate, target)
    return resample_poly(np.asarray(samples, np.float64), target // g, rate // g).astype(np.float32)


def write_wav16(path: Path, samples: np.ndarray, rate: int = AUDIO_RATE) -> None:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with atomic_write(path) as handle:
        with wave.open(handle, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(pcm.tobytes())


def _copy_image(source: Path, target: Path, suffix: str) -> None:
    image = cv2.imread(str(source), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise OSError(f"{source}: missing or unreadable render")
    params = [cv2.IMWRITE_JPEG_QUALITY, 95] if suffix == ".jpg" else []
    ok, encoded = cv2.imencode(suffix, image, params)
    if not ok:
        raise OSError(f"could not encode {target}")
    with atomic_write(target) as handle:
        handle.write(encoded.tobytes())


def write_subject_dataset(out: Path, render_dir: Path, tracks: dict[str, np.ndarray], fps: float, size: int,
                          samples: np.ndarray, sample_rate: int, source: dict[str, Any], labels: dict[str, Any],
                          advance: Callable[[int], None] | None = None) -> Path:
    """Copy the renders in, write tracks.npz, audio and dataset.json (last). Returns the manifest path.

    ``tracks`` holds ``landmarks``, ``landmarks_image``, ``blendshapes``, ``head_pose`` (exact ground truth).
    """
    frames = int(tracks["landmarks"].shape[0])
    (out / FRAMES_DIR).mkdir(parents=True, exist_ok=True)
    (out / MASKS_DIR).mkdir(parents=True, exist_ok=True)
    for i in range(frames):
        _copy_image(render_dir / FRAMES_DIR / frame_name(i, "png"), out / FRAMES_DIR / frame_name(i, "jpg"), ".jpg")
        _copy_image(render_dir / MASKS_DIR / frame_name(i, "png"), out / MASKS_DIR / frame_name(i, "png"), ".png")
        if advance:
            advance(1)
    _copy_image(render_dir / BACKGROUND, out / BACKGROUND, ".png")
    seen = np.full((size, size), 255, np.uint8)      # the plate is rendered: every pixel is real background
    _, encoded = cv2.imencode(".png", seen)
    with atomic_write(out / BACKGROUND_SEEN) as handle:
        handle.write(encoded.tobytes())

    speech = resample(samples, sample_rate)[: int(round(frames / fps * AUDIO_RATE))]
    write_wav16(out / AUDIO, speech)
    config = AudioFeatureConfig()
    features = extract_features(speech, AUDIO_RATE, fps, frames, config)
    image = np.asarray(tracks["landmarks_image"], np.float32)
    arrays = {
        "landmarks": np.asarray(tracks["landmarks"], np.float32),
        "landmarks_image": image, "landmarks_image_raw": image,
        "blendshapes": np.asarray(tracks["blendshapes"], np.float32),
        "head_pose": np.asarray(tracks["head_pose"], np.float32),
        "crop_boxes": np.tile(np.array([0.0, 0.0, size], np.float32), (frames, 1)),
        "confidence": np.ones(frames, np.float32),
        "tracked": np.ones(frames, bool), "valid": np.ones(frames, bool),
        AUDIO_FEATURES: features.values.astype(np.float32),
    }
    with atomic_write(out / TRACKS) as handle:
        save_npz(handle, arrays)
    files = {name: sha256_file(out / name) for name in (TRACKS, BACKGROUND, BACKGROUND_SEEN, AUDIO)}
    files[FRAMES_DIR] = [sha256_file(out / FRAMES_DIR / frame_name(i, "jpg")) for i in range(frames)]
    manifest = {
        "format": FORMAT, "version": VERSION, "created_by": f"realtalk {__version__}",
        "source": {"kind": "synthetic", **source},
        "labels": labels,
        "frames": frames, "fps": fps, "size": size,
        "has_audio": True,
        "audio": {"file": AUDIO, "source": "espeak-ng", "sample_rate": AUDIO_RATE,
                  "feature_names": list(features.names), "feature_config": config.to_json(),
                  "voiced_fraction": round(float(features.voiced.mean()), 4)},
        "coordinates": {"landmarks": "head frame, metres (the Take's COORDINATE_FRAME); exact ground truth",
                        "landmarks_image": "crop image: x right, y down in [0, 1]; z: depth in metres",
                        "head_pose": "head frame -> the render camera (OpenGL), metres; exact",
                        "crop_boxes": "x0, y0, side in source pixels (the render is the crop)"},
        "blendshapes": {"source": "ground truth (the rig weights that drove the render)", "unobserved": []},
        "masks": {"labels": MASK_LABELS},
        "background": {"file": BACKGROUND, "seen_file": BACKGROUND_SEEN, "scale": 1.0},
        "split": contiguous_split(frames, fps, VAL_FRACTION, SPLIT_GAP_S),
        "tracking": {"tracked_fraction": 1.0, "ground_truth": True},
        "crop_boxes": arrays["crop_boxes"].round(2).tolist(),
        "confidence": [1.0] * frames,
        "config": {"synthetic": True},
        "files": files,
    }
    path = out / MANIFEST
    with atomic_write(path, "w") as handle:
        handle.write(json.dumps(manifest, indent=1, allow_nan=False))
    return path
