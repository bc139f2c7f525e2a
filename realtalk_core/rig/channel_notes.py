"""One line per rig channel: what it does to the face, and where. Documentation data for ``report.py``.

Written for the left-side and bilateral channels; a ``...Right`` channel's note is its
twin's with the sides swapped. "Left" is always the subject's own left (+x, image right).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from .face_rig import mirror_name

#: name -> (what it does, region)
_NOTES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "eyeBlinkLeft": ("upper lid closes onto the lower lid (meeting 1/5 of the way up)", "left lids"),
    "eyeLookDownLeft": ("iris rotates 20 deg down about the eyeball centre; upper lid follows", "left iris, lids"),
    "eyeLookInLeft": ("iris rotates 25 deg towards the nose", "left iris"),
    "eyeLookOutLeft": ("iris rotates 25 deg away from the nose", "left iris"),
    "eyeLookUpLeft": ("iris rotates 20 deg up; upper lid follows a little", "left iris, lids"),
    "eyeSquintLeft": ("lower lid rises, upper lid drops a little, outer corner creases", "left lids, cheek"),
    "eyeWideLeft": ("upper lid and the fold above it rise", "left upper lid"),
    "jawForward": ("mandible slides forward and slightly down", "jaw, chin, lower lip"),
    "jawLeft": ("mandible swings about the left condyle: chin to the left", "jaw, chin, lower lip"),
    "jawOpen": ("mandible rotates 16 deg about the ear-level hinge (linearised)", "jaw, chin, lower lip"),
    "mouthClose": ("lips meet while the jaw is open (closes jawOpen's gap)", "both lips"),
    "mouthFunnel": ("lips narrow, push forward and open round, flaring", "both lips"),
    "mouthPucker": ("lips gather to the middle, push forward and close", "both lips"),
    "mouthLeft": ("both lips slide left; the left corner tucks back", "both lips"),
    "mouthSmileLeft": ("corner pulled up, out and back along zygomaticus; cheek lifts", "left corner, cheek"),
    "mouthFrownLeft": ("corner pulled down towards the jaw line", "left corner"),
    "mouthDimpleLeft": ("corner pulled back into the cheek", "left corner"),
    "mouthStretchLeft": ("corner pulled out towards the ear and down", "left corner"),
    "mouthRollLower": ("lower lip rolls in over the teeth", "lower lip"),
    "mouthRollUpper": ("upper lip rolls in over the teeth", "upper lip"),
    "mouthShrugLower": ("lower lip and chin push up", "lower lip, chin"),
    "mouthShrugUpper": ("middle of the upper lip pushes up and everts", "upper lip"),
    "mouthPressLeft": ("lips press together and thin on the left", "left half of the lips"),
    "mouthLowerDownLeft": ("left part of the lower lip drops", "lower lip, left"),
    "mouthUpperUpLeft": ("left part of the upper lip rises", "upper lip, left"),
    "browDownLeft": ("brow drops, its inner end also moves towards the nose", "left brow, glabella"),
    "browInnerUp": ("inner ends of both brows rise", "inner brows, forehead"),
    "browOuterUpLeft": ("outer end of the brow rises", "left brow"),
    "cheekPuff": ("cheeks push out along the skin normal", "both cheeks"),
    "cheekSquintLeft": ("cheek under the eye rises, pushing the lower lid", "left cheek"),
    "noseSneerLeft": ("nose wing lifts", "left nose wing"),
    "tongueOut": ("proxy: middle of the lower lip pushed down and forward", "lower lip"),
})

_SWAP = (("Left", "Right"), ("left", "right"))


def _swap_sides(text: str) -> str:
    marker = "\0"
    for a, b in _SWAP:
        text = text.replace(a, marker).replace(b, a).replace(marker, b)
    return text


def channel_note(name: str) -> tuple[str, str]:
    """(what it does, region) of a channel; KeyError for an unknown name."""
    if name in _NOTES:
        return _NOTES[name]
    twin = mirror_name(name)
    if twin is None or twin not in _NOTES:
        raise KeyError(f"no note for channel {name!r}")
    what, region = _NOTES[twin]
    return _swap_sides(what), _swap_sides(region)
