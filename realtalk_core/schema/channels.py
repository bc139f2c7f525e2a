"""Named channels of a Take, defined once.

Every track is addressed by name. Subsets (mouth, eyes, brows, the 68-point
landmark subset used by the literature's metrics) are defined here and nowhere
else; code asks for ``BLENDSHAPE_GROUPS["mouth"]`` or ``LANDMARK_GROUPS["mouth"]``
instead of slicing columns.

Numpy and the standard library only: Blender's Python imports this module.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, Sequence

import numpy as np

# ---------------------------------------------------------------- emotions
#: The 8 emotion channels, in this fixed order (the order of ``tracks.npz["emotion"]``
#: columns and of ``take.json["emotion_names"]``). Neutral is first so that a
#: one-hot neutral row is ``[1, 0, 0, 0, 0, 0, 0, 0]``.
EMOTION_NAMES: tuple[str, ...] = (
    "neutral",
    "angry",
    "disgust",
    "contempt",
    "fear",
    "happy",
    "sad",
    "surprise",
)

# ------------------------------------------------------------ blendshapes
#: The 52 ARKit blendshape names, in our fixed column order (close to, not the same as, Live Link Face CSV
#: order: its JawRight/JawLeft and MouthRight/MouthLeft are swapped; schema.arkit_csv maps by name).
ARKIT_BLENDSHAPE_NAMES: tuple[str, ...] = (
    "eyeBlinkLeft", "eyeLookDownLeft", "eyeLookInLeft", "eyeLookOutLeft",
    "eyeLookUpLeft", "eyeSquintLeft", "eyeWideLeft",
    "eyeBlinkRight", "eyeLookDownRight", "eyeLookInRight", "eyeLookOutRight",
    "eyeLookUpRight", "eyeSquintRight", "eyeWideRight",
    "jawForward", "jawLeft", "jawRight", "jawOpen",
    "mouthClose", "mouthFunnel", "mouthPucker", "mouthLeft", "mouthRight",
    "mouthSmileLeft", "mouthSmileRight", "mouthFrownLeft", "mouthFrownRight",
    "mouthDimpleLeft", "mouthDimpleRight", "mouthStretchLeft", "mouthStretchRight",
    "mouthRollLower", "mouthRollUpper", "mouthShrugLower", "mouthShrugUpper",
    "mouthPressLeft", "mouthPressRight", "mouthLowerDownLeft", "mouthLowerDownRight",
    "mouthUpperUpLeft", "mouthUpperUpRight",
    "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft", "browOuterUpRight",
    "cheekPuff", "cheekSquintLeft", "cheekSquintRight",
    "noseSneerLeft", "noseSneerRight",
    "tongueOut",
)


def _by_prefix(*prefixes: str) -> tuple[str, ...]:
    return tuple(n for n in ARKIT_BLENDSHAPE_NAMES if n.startswith(prefixes))


#: Named blendshape groups. Every name belongs to exactly one group.
BLENDSHAPE_GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "eyes": _by_prefix("eye"),
    "jaw": _by_prefix("jaw"),
    "mouth": _by_prefix("mouth"),
    "brows": _by_prefix("brow"),
    "cheeks": _by_prefix("cheek"),
    "nose": _by_prefix("nose"),
    "tongue": _by_prefix("tongue"),
})

# -------------------------------------------------------------- landmarks
#: Landmark topology id of MediaPipe's face landmarker: 468 mesh vertices + 10 iris points.
LANDMARK_TOPOLOGY = "mediapipe478"
NUM_LANDMARKS = 478
NUM_MESH_VERTICES = 468

#: Iris points of the 478 topology. The centre comes first, then four points on the rim.
#: "right"/"left" are the subject's own sides (the right eye is on the image's left).
_IRIS_RIGHT = (468, 469, 470, 471, 472)
_IRIS_LEFT = (473, 474, 475, 476, 477)

# Closed contours of MediaPipe's mesh, as vertex indices (subject's own sides).
_LIPS_OUTER = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291,
               375, 321, 405, 314, 17, 84, 181, 91, 146)
_LIPS_INNER = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308,
               324, 318, 402, 317, 14, 87, 178, 88, 95)
_EYE_RIGHT = (33, 246, 161, 160, 159, 158, 157, 173, 133,
              155, 154, 153, 145, 144, 163, 7)
_EYE_LEFT = (263, 466, 388, 387, 386, 385, 384, 398, 362,
             382, 381, 380, 374, 373, 390, 249)
_BROW_RIGHT = (70, 63, 105, 66, 107, 55, 65, 52, 53, 46)
_BROW_LEFT = (300, 293, 334, 296, 336, 285, 295, 282, 283, 276)
_FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365,
              379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93,
              234, 127, 162, 21, 54, 103, 67, 109)
_NOSE = (168, 6, 197, 195, 5, 4, 1, 19, 94, 2, 98, 97, 326, 327)
# Points that expressions barely move (forehead, nose bridge, temples, inner eye corners):
# what head pose is estimated from.
_RIGID = (10, 151, 9, 8, 109, 338, 67, 297, 108, 337, 168, 6, 197, 195, 5,
          127, 356, 162, 389, 234, 454, 133, 362)

#: Named landmark groups (indices into the 478 landmarks).
LANDMARK_GROUPS: Mapping[str, tuple[int, ...]] = MappingProxyType({
    "lips_outer": _LIPS_OUTER,
    "lips_inner": _LIPS_INNER,
    "mouth": _LIPS_OUTER + _LIPS_INNER,
    "eye_right": _EYE_RIGHT,
    "eye_left": _EYE_LEFT,
    "eyes": _EYE_RIGHT + _EYE_LEFT,
    "iris_right": _IRIS_RIGHT,
    "iris_left": _IRIS_LEFT,
    "irises": _IRIS_RIGHT + _IRIS_LEFT,
    "brow_right": _BROW_RIGHT,
    "brow_left": _BROW_LEFT,
    "brows": _BROW_RIGHT + _BROW_LEFT,
    "face_oval": _FACE_OVAL,
    "nose": _NOSE,
    "rigid": _RIGID,
})

#: The literature's 68-point layout (iBUG 300-W / dlib order) as MediaPipe indices.
#: Point k of the 68-point face is ``landmarks[LANDMARKS_68[k]]``. Image-left comes
#: first, as in 300-W: the jaw runs from the subject's right ear, round the chin
#: (point 8) to the left ear. Used for M-LMD / F-LMD metrics.
LANDMARKS_68: tuple[int, ...] = (
    # 0-16 jaw line
    234, 93, 132, 58, 172, 136, 150, 176, 152, 400, 379, 365, 397, 288, 361, 323, 454,
    # 17-21 right brow (outer -> inner), 22-26 left brow (inner -> outer)
    70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
    # 27-30 nose bridge (top -> tip), 31-35 nostril base (right -> left)
    168, 197, 5, 4, 98, 97, 2, 326, 327,
    # 36-41 right eye (outer corner, upper lid x2, inner corner, lower lid x2)
    33, 160, 158, 133, 153, 144,
    # 42-47 left eye (inner corner, upper lid x2, outer corner, lower lid x2)
    362, 385, 387, 263, 373, 380,
    # 48-59 outer lips (right corner, upper lip to left corner, lower lip back)
    61, 40, 37, 0, 267, 270, 291, 321, 314, 17, 84, 91,
    # 60-67 inner lips
    78, 81, 13, 311, 308, 402, 14, 178,
)

#: Ranges of the 68-point layout, named.
LANDMARKS_68_GROUPS: Mapping[str, range] = MappingProxyType({
    "jaw": range(0, 17),
    "brows": range(17, 27),
    "nose": range(27, 36),
    "eyes": range(36, 48),
    "mouth": range(48, 68),
})

#: Pairs of 68-point indices whose ratio of distances gives the inter-ocular distance.
INTEROCULAR_68: tuple[int, int] = (36, 45)


def interocular(face: np.ndarray) -> float:
    """Distance between the outer eye corners (68-point 36 and 45) of one (478, 3) face: the unit that
    makes landmark distances comparable across faces and scales."""
    left, right = (np.asarray(face, np.float64)[LANDMARKS_68[i]] for i in INTEROCULAR_68)
    return float(np.linalg.norm(left - right))


def channel_index(names: Sequence[str], wanted: Sequence[str] | str) -> np.ndarray:
    """Column indices of ``wanted`` names inside ``names``; raises KeyError naming the unknown one."""
    if isinstance(wanted, str):
        wanted = (wanted,)
    lookup = {n: i for i, n in enumerate(names)}
    missing = [w for w in wanted if w not in lookup]
    if missing:
        raise KeyError(f"unknown channel(s) {missing}; known: {list(names)}")
    return np.array([lookup[w] for w in wanted], dtype=np.int64)


def blendshape_index(wanted: Sequence[str] | str) -> np.ndarray:
    """Columns of the named ARKit blendshapes (or of a group name such as ``"mouth"``)."""
    if isinstance(wanted, str) and wanted in BLENDSHAPE_GROUPS:
        wanted = BLENDSHAPE_GROUPS[wanted]
    return channel_index(ARKIT_BLENDSHAPE_NAMES, wanted)


def emotion_index(wanted: Sequence[str] | str) -> np.ndarray:
    """Columns of the named emotions."""
    return channel_index(EMOTION_NAMES, wanted)
