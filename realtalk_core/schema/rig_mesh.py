"""``rig.npz``: the subject's face rig as a mesh, written beside a generated Take.

It is what the Blender add-on builds its proxy head from, without torch or the MediaPipe asset:

* ``neutral``        (478, 3) float32, metres, the Take's head space: the subject's rest landmarks;
* ``triangles``      (898, 3) int32, the canonical face mesh over the first 468 landmarks;
* ``delta_<name>``   (478, 3) float32 for each of the 52 ARKit channels, addressed by name:
  the landmark displacement at weight 1 of the linear rig.

``neutral + sum_i w_i * delta_i`` is the linear rig (jawOpen as a straight displacement; the
Take's own landmarks apply it as a rotation about the jaw hinge). Numpy and the standard library only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np

from .channels import ARKIT_BLENDSHAPE_NAMES, NUM_LANDMARKS
from .errors import RealtalkError
from .fileio import atomic_write
from .npzsafe import NpzFormatError, load_npz, save_npz

RIG_NPZ = "rig.npz"
DELTA_PREFIX = "delta_"
NUM_MESH_VERTICES = 468
_MAX_BYTES = 8 << 20


@dataclass(frozen=True)
class RigMesh:
    """The linear face rig of one subject, with the mesh to draw it."""

    neutral: np.ndarray               # (478, 3) float32
    triangles: np.ndarray             # (F, 3) int32, indices < 468
    deltas: Mapping[str, np.ndarray]  # ARKit name -> (478, 3) float32

    def evaluate(self, weights: Mapping[str, np.ndarray]) -> np.ndarray:
        """Name -> (T,) weights (missing names are 0) -> (T, 478, 3) linear-rig landmarks."""
        frames = len(next(iter(weights.values()))) if weights else 1
        out = np.broadcast_to(self.neutral.astype(np.float64), (frames, NUM_LANDMARKS, 3)).copy()
        for name, values in weights.items():
            out += np.asarray(values, np.float64)[:, None, None] * self.deltas[name]
        return out


def save_rig_mesh(rig: RigMesh, folder: str | os.PathLike[str]) -> Path:
    """Write ``folder/rig.npz`` atomically; every channel must be present."""
    missing = [name for name in ARKIT_BLENDSHAPE_NAMES if name not in rig.deltas]
    if missing:
        raise ValueError(f"rig mesh lacks deltas for {missing}")
    path = Path(folder) / RIG_NPZ
    arrays = {"neutral": np.asarray(rig.neutral, np.float32), "triangles": np.asarray(rig.triangles, np.int32)}
    arrays.update({DELTA_PREFIX + name: np.asarray(rig.deltas[name], np.float32) for name in ARKIT_BLENDSHAPE_NAMES})
    with atomic_write(path) as handle:
        save_npz(handle, arrays)
    return path


def _points(shape: tuple[int, ...]) -> str | None:
    return None if shape == (NUM_LANDMARKS, 3) else f"shape {shape}, expected ({NUM_LANDMARKS}, 3)"


def _faces(shape: tuple[int, ...]) -> str | None:
    return None if len(shape) == 2 and shape[1] == 3 and 0 < shape[0] <= 10_000 else f"shape {shape}, expected (F, 3)"


def load_rig_mesh(folder: str | os.PathLike[str]) -> RigMesh:
    """Read and check ``folder/rig.npz``; any problem is one RealtalkError naming the file and the fix."""
    path = Path(folder) / RIG_NPZ
    fix = "generate the Take again with `realtalk generate` (it writes rig.npz)"
    expected = {"neutral": (np.dtype(np.float32), _points), "triangles": (np.dtype(np.int32), _faces)}
    expected.update({DELTA_PREFIX + name: (np.dtype(np.float32), _points) for name in ARKIT_BLENDSHAPE_NAMES})
    if not path.is_file():
        raise RealtalkError(f"{path}: missing; {fix}")
    try:
        arrays = load_npz(str(path), expected, _MAX_BYTES)
    except (NpzFormatError, OSError) as err:
        raise RealtalkError(f"{path}: unreadable ({err}); {fix}") from None
    if not all(np.isfinite(a).all() for name, a in arrays.items() if name != "triangles"):
        raise RealtalkError(f"{path}: holds NaN or infinite values; {fix}")
    triangles = arrays["triangles"]
    if triangles.min() < 0 or triangles.max() >= NUM_MESH_VERTICES:
        raise RealtalkError(f"{path}: triangle indices outside 0..{NUM_MESH_VERTICES - 1}; {fix}")
    deltas = {name: arrays[DELTA_PREFIX + name] for name in ARKIT_BLENDSHAPE_NAMES}
    return RigMesh(neutral=arrays["neutral"], triangles=triangles, deltas=deltas)
