"""The neutral layer of a generated Take, saved beside it as ``layers.npz``.

It holds what the emotion step starts from: the neutral speech blendshapes (with blinks, gaze
and sealed lips), the lips-together probability and sealed frames, and the head pose. A re-bake
(``realtalk generate --from-take T --only emotion``) reads it and copies it unchanged, so the
speech motion stays bit-identical while only the emotion layer changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..schema.errors import RealtalkError
from ..schema.fileio import atomic_write, sha256_file

LAYERS_NPZ = "layers.npz"
FIELDS = {"blendshapes": 2, "lips_together": 1, "sealed": 1, "head_pose": 3}


@dataclass
class NeutralLayer:
    blendshapes: np.ndarray     # (T, 52) float32
    lips_together: np.ndarray   # (T,) float32
    sealed: np.ndarray          # (T,) bool
    head_pose: np.ndarray       # (T, 4, 4) float32

    def save(self, take_dir: Path) -> Path:
        path = Path(take_dir) / LAYERS_NPZ
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as handle:
            np.savez(handle, blendshapes=self.blendshapes, lips_together=self.lips_together,
                     sealed=self.sealed, head_pose=self.head_pose)
        return path

    @staticmethod
    def sha256(take_dir: Path) -> str:
        return sha256_file(Path(take_dir) / LAYERS_NPZ)

    @classmethod
    def load(cls, take_dir: str | Path, frames: int) -> "NeutralLayer":
        path = Path(take_dir) / LAYERS_NPZ
        if not path.is_file():
            raise RealtalkError(f"{path}: missing; only Takes made by `realtalk generate` can be re-baked "
                                "(generate the Take again from its audio)")
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: np.array(data[name]) for name in FIELDS}
        except (OSError, ValueError, KeyError) as error:
            raise RealtalkError(f"{path}: damaged ({str(error).splitlines()[0][:80]}); generate the Take again") \
                from None
        for name, ndim in FIELDS.items():
            array = arrays[name]
            if array.ndim != ndim or len(array) != frames or (array.dtype != bool and not np.isfinite(array).all()):
                raise RealtalkError(f"{path}: {name} does not match the Take's {frames} frames; "
                                    "generate the Take again")
        return cls(**arrays)
