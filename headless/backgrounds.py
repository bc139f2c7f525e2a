"""What a rendered person is composited over: ``--background plate|color:#RRGGBB|transparent|PATH``.

A subject renders RGBA (straight colour, alpha = the person). The background turns that into the frame that
is written: over the subject's plate (the default), over a flat colour, over an image file (scaled to cover the
frame and centred), or kept transparent (RGBA PNGs). With ``--paste-back`` the same choices apply to the whole
original frame instead of the square crop.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .colors import BACKGROUND_COLOR_PREFIX, parse_hex
from .errors import RenderError

PLATE = "plate"
TRANSPARENT = "transparent"
KINDS_HELP = "plate, color:#RRGGBB, transparent or an image file"


@dataclass(frozen=True)
class Background:
    """A parsed ``--background``: kind is plate, color, transparent or image."""

    text: str
    kind: str
    color: tuple[int, int, int] | None = None
    image: Path | None = None

    @staticmethod
    def parse(text: str) -> "Background":
        if text == PLATE:
            return Background(text, "plate")
        if text == TRANSPARENT:
            return Background(text, "transparent")
        if text.startswith(BACKGROUND_COLOR_PREFIX):
            try:
                return Background(text, "color", color=parse_hex(text[len(BACKGROUND_COLOR_PREFIX):]))
            except RenderError:
                raise RenderError(f"--background {text!r}: write a colour as color:#RRGGBB, e.g. color:#202428") from None
        path = Path(text)
        if path.suffix.lower() in (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp") or path.exists():
            if not path.is_file():
                raise RenderError(f"--background {text}: no such image file; use {KINDS_HELP}")
            return Background(text, "image", image=path)
        raise RenderError(f"--background {text!r}: expected {KINDS_HELP}")

    @property
    def transparent(self) -> bool:
        return self.kind == "transparent"

    def backdrop(self, width: int, height: int, plate: np.ndarray | None) -> np.ndarray | None:
        """The (height, width, 3) uint8 RGB backdrop; None when transparent. ``plate`` is the subject's plate."""
        if self.kind == "transparent":
            return None
        if self.kind == "color":
            return np.broadcast_to(np.array(self.color, np.uint8), (height, width, 3)).copy()
        if self.kind == "plate":
            if plate is None:
                raise RenderError("--background plate: this renderer has no plate; use color:#RRGGBB")
            return cover(plate, width, height)
        return cover(read_image(self.image), width, height)


def read_image(path: Path) -> np.ndarray:
    """An image file as (H, W, 3) uint8 RGB; a missing or unreadable file is one RenderError line."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise RenderError(f"--background {path}: not a readable image; give a PNG or JPEG file")
    return np.ascontiguousarray(image[:, :, ::-1])


def cover(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """Scale ``image`` to cover (width, height) and crop the centre (no stretching)."""
    h, w = image.shape[:2]
    if (w, h) == (width, height):
        return np.ascontiguousarray(image)
    scale = max(width / w, height / h)
    resized_w, resized_h = max(width, round(w * scale)), max(height, round(h * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    resized = cv2.resize(image, (resized_w, resized_h), interpolation=interpolation)
    x0, y0 = (resized_w - width) // 2, (resized_h - height) // 2
    return np.ascontiguousarray(resized[y0:y0 + height, x0:x0 + width])


def composite(rgba: np.ndarray, backdrop: np.ndarray | None) -> np.ndarray:
    """(..., H, W, 4) straight-alpha RGBA over an (H, W, 3) backdrop -> RGB; None keeps the RGBA."""
    if backdrop is None:
        return rgba
    alpha = rgba[..., 3:4].astype(np.float32) / 255.0
    out = rgba[..., :3].astype(np.float32) * alpha + backdrop.astype(np.float32) * (1.0 - alpha)
    return (out + 0.5).astype(np.uint8)
