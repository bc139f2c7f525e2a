"""The face's albedo texture, painted in the canonical mesh's UV space (Pillow + numpy).

A synthetic skin tone with flushed cheeks, redder lips, brows, a lash line and a little
shadow in the lid creases. Every feature is placed from landmark UVs, so it sits where
the rig's landmarks are. Pixel rows run down, like MediaPipe's v.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ...schema.channels import LANDMARK_GROUPS

if TYPE_CHECKING:
    from PIL import Image

RGB = tuple[int, int, int]
#: Cheek centres (right, left) and the lid-crease points above each eye.
CHEEKS = (205, 425)
CREASES = ((27, 28, 29, 56, 157, 158, 159, 160, 161, 30), (257, 258, 259, 286, 384, 385, 386, 387, 388, 260))


@dataclass(frozen=True)
class FaceTextureConfig:
    """Colours (sRGB, 0-255) and sizes of the painted features."""

    size: int = 1024
    """Texture width and height in pixels."""
    skin: RGB = (200, 138, 108)
    """Base skin tone; the head and neck materials use the same colour."""
    cheeks: RGB = (205, 105, 95)
    """Flush on the cheeks."""
    cheek_strength: float = 0.35
    """Opacity of the flush at the cheek centres."""
    lips: RGB = (160, 62, 62)
    """Lip colour."""
    brows: RGB = (38, 26, 18)
    """Brow colour."""
    lash_line: RGB = (40, 26, 22)
    """Upper lid margin (lashes seen from the front)."""
    crease: RGB = (170, 112, 100)
    """Shadow tint of the upper lid crease."""


def paint_face_texture(uv: np.ndarray, config: FaceTextureConfig | None = None) -> "Image.Image":
    """The RGB albedo for canonical UVs ``uv`` (468, 2), v down."""
    from PIL import Image, ImageDraw, ImageFilter

    config = config or FaceTextureConfig()
    size = config.size
    pts = np.asarray(uv, np.float64) * (size - 1)

    def poly(ids) -> list[tuple[float, float]]:
        return [tuple(pts[i]) for i in ids]

    image = Image.new("RGB", (size, size), config.skin)
    _overlay(image, config.cheeks, _cheek_alpha(pts, size, config.cheek_strength))
    _overlay(image, config.crease, _blurred_lines(size, [poly(c) for c in CREASES], width=size // 80,
                                                  blur=size / 90, opacity=0.45))
    lips = Image.new("L", (size, size), 0)
    ImageDraw.Draw(lips).polygon(poly(LANDMARK_GROUPS["lips_outer"]), fill=255)
    _overlay(image, config.lips, np.asarray(lips.filter(ImageFilter.GaussianBlur(size / 400)), np.float64) / 255)
    for side in ("brow_right", "brow_left"):
        brow = Image.new("L", (size, size), 0)
        ImageDraw.Draw(brow).polygon(poly(LANDMARK_GROUPS[side]), fill=255)
        alpha = np.asarray(brow.filter(ImageFilter.GaussianBlur(size / 300)), np.float64) / 255
        _overlay(image, config.brows, alpha * _streaks(size, seed=len(side)))
    for side in ("eye_right", "eye_left"):
        ids = np.asarray(LANDMARK_GROUPS[side])
        upper = _upper_lid(pts[ids], ids)
        _overlay(image, config.lash_line, _blurred_lines(size, [poly(upper)], width=max(3, size // 140),
                                                         blur=size / 700, opacity=0.9))
    return image


def save_face_texture(uv: np.ndarray, target: Path, config: FaceTextureConfig | None = None) -> Path:
    """Paint and write the texture as PNG; returns ``target``."""
    paint_face_texture(uv, config).save(target)
    return target


def _overlay(image: "Image.Image", colour: RGB, alpha: np.ndarray) -> None:
    """Blend ``colour`` over ``image`` in place with per-pixel ``alpha`` (H, W) in [0, 1]."""
    from PIL import Image

    base = np.asarray(image, np.float64)
    out = base + np.clip(alpha, 0, 1)[..., None] * (np.asarray(colour, np.float64) - base)
    image.paste(Image.fromarray(np.round(out).astype(np.uint8)))


def _cheek_alpha(pts: np.ndarray, size: int, strength: float) -> np.ndarray:
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    alpha = np.zeros((size, size))
    for vertex in CHEEKS:
        cx, cy = pts[vertex]
        alpha = np.maximum(alpha, np.exp(-(((xx - cx) / (0.08 * size)) ** 2 + ((yy - cy) / (0.06 * size)) ** 2)))
    return strength * alpha


def _blurred_lines(size: int, lines: list[list[tuple[float, float]]], width: int, blur: float,
                   opacity: float) -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFilter

    layer = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(layer)
    for line in lines:
        draw.line(line, fill=255, width=width, joint="curve")
    return opacity * np.asarray(layer.filter(ImageFilter.GaussianBlur(blur)), np.float64) / 255


def _streaks(size: int, seed: int) -> np.ndarray:
    """Hair-like streaks (H, W) in [0.55, 1] for the brows."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    noise = rng.random((size // 8, size // 2))
    img = Image.fromarray((noise * 255).astype(np.uint8)).resize((size, size), Image.BILINEAR)
    return 0.55 + 0.45 * np.asarray(img, np.float64) / 255


def _upper_lid(contour: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Ids of the upper half of an eye contour (texture y runs down), corner to corner."""
    left, right = int(np.argmin(contour[:, 0])), int(np.argmax(contour[:, 0]))
    n = len(ids)
    path_a = [(left + k) % n for k in range((right - left) % n + 1)]
    path_b = [(right + k) % n for k in range((left - right) % n + 1)]
    upper = path_a if contour[path_a, 1].mean() < contour[path_b, 1].mean() else path_b
    return ids[upper]
