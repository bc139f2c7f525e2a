"""The subject dataset written by ``realtalk process``: numpy arrays plus versioned JSON.

Layout of a dataset folder::

    dataset.json            the manifest (written last: a folder without it is unfinished)
    tracks.npz              per-frame arrays (TRACK_ARRAYS), read with the Take's npz guard
    frames/000000.jpg ...   the cropped RGB frames (size x size)
    masks/000000.png ...    label images: MASK_LABELS
    background.png          the clean background plate, in source-frame coordinates
    background_seen.png     255 where the plate saw real background, 0 where it was inpainted
    audio.wav               16 kHz mono speech (only when the source had audio)

Loading follows the Take's rules: the manifest is size-limited strict JSON, tracks.npz
is checked against its sha256 and read member by member without unpickling, and every
file name comes from this module (the manifest names no paths).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

import cv2
import numpy as np

from ..schema.channels import ARKIT_BLENDSHAPE_NAMES, NUM_LANDMARKS
from ..schema.fileio import sha256_file
from ..schema.npzsafe import NpzFormatError, load_npz
from .crop import crop_frame
from .errors import ProcessError

FORMAT = "realtalk-dataset"
VERSION = 1
MANIFEST = "dataset.json"
TRACKS = "tracks.npz"
FRAMES_DIR, MASKS_DIR = "frames", "masks"
BACKGROUND, BACKGROUND_SEEN = "background.png", "background_seen.png"
AUDIO = "audio.wav"
MAX_MANIFEST_BYTES = 64 << 20

#: tracks.npz members: dtype and per-frame shape.
TRACK_ARRAYS: Mapping[str, tuple[str, tuple[int, ...]]] = {
    "landmarks": ("float32", (NUM_LANDMARKS, 3)),          # head frame, metres (the Take's COORDINATE_FRAME)
    "landmarks_image": ("float32", (NUM_LANDMARKS, 3)),    # crop image: x, y in [0, 1], z on x's scale, smoothed
    "landmarks_image_raw": ("float32", (NUM_LANDMARKS, 3)),  # the same, before smoothing
    "blendshapes": ("float32", (len(ARKIT_BLENDSHAPE_NAMES),)),        # MediaPipe's scores, ARKit order (by name)
    "head_pose": ("float32", (4, 4)),                      # head -> camera, metres, smoothed
    "crop_boxes": ("float32", (3,)),                       # x0, y0, side in source pixels
    "confidence": ("float32", ()),                         # tracking confidence in [0, 1]
    "tracked": ("bool", ()),                               # a face was found in this frame
    "valid": ("bool", ()),                                 # tracked, or inside a short interpolated gap
}
AUDIO_FEATURES = "audio_features"


def contiguous_split(frames: int, fps: float, val_fraction: float = 0.1,
                     gap_s: float = 1.0) -> dict[str, list[list[int]]]:
    """Contiguous train then val (the last ``val_fraction``), ``gap_s`` left out between: no window in both."""
    gap = int(round(gap_s * fps))
    val = max(1, int(round(frames * val_fraction)))
    train_end = max(0, frames - val - gap)
    return {"train": [[0, train_end]] if train_end > 0 else [], "val": [[frames - val, frames]]}


def frame_name(index: int, suffix: str) -> str:
    return f"{index:06d}.{suffix}"


@dataclass(frozen=True)
class Dataset:
    """A loaded dataset: the manifest, the arrays, and accessors for the images."""

    root: Path
    manifest: dict[str, Any]
    tracks: dict[str, np.ndarray]

    @property
    def frames(self) -> int:
        return int(self.manifest["frames"])

    @property
    def fps(self) -> float:
        return float(self.manifest["fps"])

    @property
    def has_audio(self) -> bool:
        return bool(self.manifest["has_audio"])

    def split(self, name: str) -> np.ndarray:
        """Frame indices of the ``train`` or ``val`` split (valid frames only)."""
        ranges = self.manifest["split"][name]
        index = np.concatenate([np.arange(a, b) for a, b in ranges]) if ranges else np.zeros(0, np.int64)
        return index[self.tracks["valid"][index]]

    def require_audio(self, purpose: str) -> Path:
        """The WAV path; a clear error for datasets made from silent videos."""
        if not self.has_audio:
            raise ProcessError(f"{self.root}: this dataset has no audio (its video had no audio stream), so it "
                               f"cannot be used for {purpose}; process a recording with sound")
        return self.root / AUDIO

    def frame(self, index: int) -> np.ndarray:
        """(size, size, 3) uint8 RGB."""
        return _read_image(self.root / FRAMES_DIR / frame_name(index, "jpg"), cv2.IMREAD_COLOR)[:, :, ::-1]

    def mask(self, index: int) -> np.ndarray:
        """(size, size) uint8 labels (MASK_LABELS in the manifest)."""
        return _read_image(self.root / MASKS_DIR / frame_name(index, "png"), cv2.IMREAD_GRAYSCALE)

    @cached_property
    def plate(self) -> np.ndarray:
        """(H, W, 3) uint8 RGB background plate in source-frame coordinates (read once)."""
        return np.ascontiguousarray(_read_image(self.root / BACKGROUND, cv2.IMREAD_COLOR)[:, :, ::-1])

    def background(self, index: int) -> np.ndarray:
        """(size, size, 3) uint8 RGB: the background plate seen through frame ``index``'s crop box."""
        scale = float(self.manifest["background"]["scale"])
        return crop_frame(self.plate, self.tracks["crop_boxes"][index] * scale, int(self.manifest["size"]))


def _read_image(path: Path, flags: int) -> np.ndarray:
    image = cv2.imread(str(path), flags)
    if image is None:
        raise ProcessError(f"{path}: missing or unreadable; re-run `realtalk process` to rebuild the dataset")
    return image


def load_dataset(root: str | Path) -> Dataset:
    """Load and check a dataset folder; every problem is one ProcessError line naming the file."""
    root = Path(root)
    path = root / MANIFEST
    if not path.is_file():
        hint = " (the run did not finish: re-run `realtalk process` to resume it)" if (root / ".work").is_dir() else ""
        raise ProcessError(f"{root}: not a dataset, {MANIFEST} is missing{hint}")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise ProcessError(f"{path}: larger than {MAX_MANIFEST_BYTES >> 20} MiB; not a dataset manifest")
    try:
        manifest = json.loads(path.read_text("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise ProcessError(f"{path}: not valid JSON ({err}); re-run `realtalk process`") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ProcessError(f"{path}: not a {FORMAT} manifest")
    if manifest.get("version") != VERSION:
        raise ProcessError(f"{path}: dataset version {manifest.get('version')!r}, this realtalk reads version "
                           f"{VERSION}; re-run `realtalk process` with this version")
    frames = manifest.get("frames")
    if not isinstance(frames, int) or frames <= 0:
        raise ProcessError(f"{path}: 'frames' must be a positive integer")
    tracks_path = root / TRACKS
    expected_sha = manifest.get("files", {}).get(TRACKS)
    if not tracks_path.is_file() or sha256_file(tracks_path) != expected_sha:
        raise ProcessError(f"{tracks_path}: missing or does not match the manifest's sha256; re-run `realtalk process`")
    expected = {name: (np.dtype(dtype), _shape_check((frames, *tail))) for name, (dtype, tail) in TRACK_ARRAYS.items()}
    names = manifest.get("audio", {}).get("feature_names") if manifest.get("has_audio") else None
    if names:
        expected[AUDIO_FEATURES] = (np.dtype("float32"), _shape_check((frames, len(names))))
    try:
        tracks = load_npz(str(tracks_path), expected, max_bytes=tracks_path.stat().st_size * 2 + (1 << 20))
    except (NpzFormatError, OSError) as err:
        raise ProcessError(f"{tracks_path}: {err}; re-run `realtalk process`") from None
    return Dataset(root=root, manifest=manifest, tracks=tracks)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _shape_check(shape: tuple[int, ...]):
    def check(actual: tuple[int, ...]) -> str | None:
        return None if tuple(actual) == shape else f"shape {tuple(actual)}, expected {shape}"
    return check
