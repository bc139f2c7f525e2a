"""Short test videos made from a real photograph (scikit-image's astronaut), with known motion.

For tracking, cropping and bad-input tests and the throughput benchmark only; never a
talking likeness. Every clip's per-frame similarity (photo pixels -> video pixels) is
returned, so tests can map tracked landmarks back onto the still photo and measure how
steady they are.

Kinds:
* ``camera``: the whole photo under a slow synthetic camera move (pan, zoom, roll);
* ``cutout``: head and shoulders cut from the photo, moving over a still background;
* ``noface``: a part of the photo without a face (the flag and suit);
* ``twofaces``: a large central copy and a smaller copy in a corner;
* ``gaps``: ``camera`` with the face covered in some frames (``covered`` names them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import cv2
import numpy as np

#: The astronaut photo's face, in photo pixels (x0, y0, x1, y1), for placing copies.
FACE_BOX = (175, 60, 285, 200)


@dataclass(frozen=True)
class ClipSpec:
    kind: str = "camera"
    seconds: float = 4.0
    fps: float = 30.0
    width: int = 480
    height: int = 360
    covered: Sequence[tuple[int, int]] = field(default_factory=tuple)   #: inclusive frame ranges with no face
    audio: Path | None = None                                            #: a WAV to mux in, or None


def astronaut() -> np.ndarray:
    from skimage import data

    return data.astronaut()


def camera_motion(frame: int, fps: float, spec: ClipSpec) -> np.ndarray:
    """(2, 3) similarity photo -> video pixels at ``frame``: slow pan, zoom and roll."""
    t = frame / fps
    scale = 0.95 * spec.height / 512 * (1.0 + 0.08 * math.sin(2 * math.pi * t / 3.1))
    angle = math.radians(4.0 * math.sin(2 * math.pi * t / 2.3))
    shift = (12.0 * math.sin(2 * math.pi * t / 2.7), 8.0 * math.sin(2 * math.pi * t / 3.7))
    centre_photo = np.array([230.0, 170.0])                      # keep the face near the middle
    centre_video = np.array([spec.width / 2 + shift[0], spec.height * 0.42 + shift[1]])
    rotation = scale * np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    return np.concatenate([rotation, (centre_video - rotation @ centre_photo)[:, None]], axis=1)


def render_frame(photo: np.ndarray, frame: int, spec: ClipSpec, backdrop: np.ndarray) -> np.ndarray:
    size = (spec.width, spec.height)
    motion = camera_motion(frame, spec.fps, spec)
    covered = any(a <= frame <= b for a, b in spec.covered)
    if spec.kind == "noface" or covered:
        part = photo[300:512, 256:512]                           # suit and flag: no face
        return cv2.resize(part, size, interpolation=cv2.INTER_AREA)
    if spec.kind == "camera":
        return cv2.warpAffine(photo, motion, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if spec.kind == "cutout":
        alpha = _cutout_alpha(photo.shape[:2])
        person = cv2.warpAffine(photo, motion, size, flags=cv2.INTER_LINEAR)
        weight = cv2.warpAffine(alpha, motion, size, flags=cv2.INTER_LINEAR)[..., None]
        return np.round(person * weight + backdrop * (1 - weight)).astype(np.uint8)
    if spec.kind == "twofaces":
        main = cv2.warpAffine(photo, motion, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        x0, y0, x1, y1 = FACE_BOX
        small = cv2.resize(photo[y0 - 20:y1 + 20, x0 - 20:x1 + 20], None, fx=0.45, fy=0.45,
                           interpolation=cv2.INTER_AREA)
        main[4:4 + small.shape[0], 4:4 + small.shape[1]] = small
        return main
    raise ValueError(f"unknown clip kind {spec.kind!r}")


def _cutout_alpha(shape: tuple[int, int]) -> np.ndarray:
    """Soft head-and-shoulders matte of the photo (float32, 1 = person)."""
    alpha = np.zeros(shape, np.float32)
    cv2.ellipse(alpha, (228, 112), (78, 92), 0, 0, 360, 1.0, -1)                  # head and hair
    cv2.rectangle(alpha, (195, 170), (265, 300), 1.0, -1)                          # neck
    cv2.ellipse(alpha, (240, 570), (250, 280), 0, 180, 360, 1.0, -1)              # shoulders
    return cv2.GaussianBlur(alpha, (0, 0), 3)


def backdrop(spec: ClipSpec) -> np.ndarray:
    """A still, textured background (a smooth colour field with a few shapes)."""
    y, x = np.mgrid[0:spec.height, 0:spec.width].astype(np.float32)
    image = np.stack([90 + 60 * np.sin(x / 70), 120 + 50 * np.cos(y / 55), 140 + 40 * np.sin((x + y) / 90)], -1)
    cv2.rectangle(image, (20, 30), (110, 140), (200, 60, 40), -1)
    cv2.circle(image, (spec.width - 60, 70), 40, (40, 160, 220), -1)
    return np.clip(image, 0, 255).astype(np.uint8)


def write_clip(path: Path, spec: ClipSpec) -> np.ndarray:
    """Encode the clip (H.264 mp4/mkv by suffix, AAC audio if given); returns (T, 2, 3) motions."""
    import imageio_ffmpeg

    photo = astronaut()
    still = backdrop(spec)
    frames = int(round(spec.seconds * spec.fps))
    kwargs = {"audio_path": str(spec.audio), "audio_codec": "aac"} if spec.audio else {}
    writer = imageio_ffmpeg.write_frames(str(path), (spec.width, spec.height), fps=spec.fps, codec="libx264",
                                         quality=8, macro_block_size=1, ffmpeg_log_level="error",
                                         **kwargs)
    writer.send(None)
    motions = []
    for index in range(frames):
        writer.send(np.ascontiguousarray(render_frame(photo, index, spec, still)))
        motions.append(camera_motion(index, spec.fps, spec))
    writer.close()
    return np.asarray(motions)
