"""Colours: ``#RRGGBB`` parsing and the sRGB <-> linear transfer functions used for shading.

Shading is done in linear light and converted back to sRGB, so that a Lambert falloff
looks soft rather than muddy. Colours are RGB throughout; only the PNG writer swaps to BGR.
"""

from __future__ import annotations

import re

import numpy as np

from .errors import RenderError

RGB = tuple[int, int, int]

_HEX = re.compile(r"#?([0-9a-fA-F]{6})")
#: Prefix of a colour ``--background`` value (see backgrounds.py for the other kinds).
BACKGROUND_COLOR_PREFIX = "color:"


def parse_hex(text: str) -> RGB:
    """``"#RRGGBB"`` (or ``"RRGGBB"``) -> (r, g, b) in 0..255."""
    match = _HEX.fullmatch(text.strip())
    if match is None:
        raise RenderError(f"{text!r} is not a colour; write it as #RRGGBB, e.g. #202428")
    digits = match.group(1)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB values in 0..255 -> linear light in 0..1 (same shape)."""
    c = np.asarray(rgb, np.float32) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


def linear_to_srgb(linear: np.ndarray) -> np.ndarray:
    """Linear light in 0..1 (clipped) -> sRGB values in 0..255 as float32 (same shape)."""
    c = np.clip(np.asarray(linear, np.float32), 0.0, 1.0)
    encoded = np.where(c <= 0.0031308, c * 12.92, 1.055 * np.power(c, 1.0 / 2.4) - 0.055)
    return (encoded * 255.0).astype(np.float32)
