"""The linear face rig: ``landmarks = neutral + sum_i w_i * delta_i`` over the 52 ARKit channels.

The deltas are displacement fields built from the canonical face (``shapes_*.py``):
only the subject's LEFT-side shapes and the bilateral ones are built; each ``...Right``
shape is the mirror (x -> -x, landmark ids swapped by the mirror map) of its
``...Left`` twin, and each bilateral shape is made exactly symmetric. Channels are
addressed by name (``rig.delta("jawOpen")``); columns of weight arrays follow
``ARKIT_BLENDSHAPE_NAMES``.

Two evaluations exist. :meth:`FaceRig.evaluate` is the linear model the solver
inverts. :meth:`FaceRig.pose` is the same except that jawOpen is applied as the exact
rotation about the jaw hinge (better for large openings, for rendering and previews).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

import numpy as np

from ..assets.canonical_mesh import CanonicalMesh, neutral_landmarks
from ..schema.channels import ARKIT_BLENDSHAPE_NAMES, NUM_LANDMARKS, blendshape_index
from .jaw import JawConfig, JawHinge, build_hinge, build_jaw_shapes
from .regions import FaceRegions
from .shapes_eyes import EyeShapeConfig, build_eye_shapes
from .shapes_midface import MidfaceShapeConfig, build_midface_shapes
from .shapes_mouth import MouthShapeConfig, build_mouth_shapes
from .symmetry import mirror_points, symmetrize

LEFT, RIGHT = "Left", "Right"
JAW_OPEN = "jawOpen"


@dataclass(frozen=True)
class FaceRigConfig:
    """Everything that shapes the rig; the defaults give plausible adult magnitudes."""

    jaw: JawConfig = field(default_factory=JawConfig)
    """Hinge position and jaw magnitudes."""
    eyes: EyeShapeConfig = field(default_factory=EyeShapeConfig)
    """Lid and gaze magnitudes."""
    mouth: MouthShapeConfig = field(default_factory=MouthShapeConfig)
    """Lip and mouth-corner magnitudes."""
    midface: MidfaceShapeConfig = field(default_factory=MidfaceShapeConfig)
    """Brow, cheek and nose magnitudes."""


def mirror_name(name: str) -> str | None:
    """The twin of a one-sided channel ("eyeBlinkLeft" <-> "eyeBlinkRight"); None when bilateral."""
    if name.endswith(LEFT):
        return name[: -len(LEFT)] + RIGHT
    if name.endswith(RIGHT):
        return name[: -len(RIGHT)] + LEFT
    return None


@dataclass(frozen=True)
class FaceRig:
    """A linear blendshape rig over the 478 MediaPipe landmarks (metres, the Take's head frame)."""

    neutral: np.ndarray    # (478, 3) float64
    deltas: np.ndarray     # (52, 478, 3) float64, rows in ARKIT_BLENDSHAPE_NAMES order
    hinge: JawHinge        # the exact jaw rotation behind the jawOpen delta
    triangles: np.ndarray  # (898, 3) the canonical mesh's triangles, for drawing
    mirror: np.ndarray     # (478,) left/right partner of each landmark
    config: FaceRigConfig

    names = ARKIT_BLENDSHAPE_NAMES

    # ---------------------------------------------------------------- building
    @classmethod
    def build(cls, mesh: CanonicalMesh, config: FaceRigConfig | None = None) -> "FaceRig":
        """The rig of MediaPipe's canonical face."""
        config = config or FaceRigConfig()
        neutral = neutral_landmarks(mesh).astype(np.float64)
        regions = FaceRegions.from_neutral(neutral, mesh.triangles)
        hinge = build_hinge(regions, config.jaw)
        built = build_jaw_shapes(regions, hinge, config.jaw)
        built.update(build_eye_shapes(regions, config.eyes))
        built.update(build_mouth_shapes(regions, config.mouth, jaw_open=built[JAW_OPEN]))
        built.update(build_midface_shapes(regions, config.midface))
        return cls(neutral=neutral, deltas=assemble(built, regions.mirror), hinge=hinge,
                   triangles=np.asarray(mesh.triangles), mirror=regions.mirror, config=config)

    # ---------------------------------------------------------------- lookups
    def delta(self, name: str) -> np.ndarray:
        """(478, 3) displacement of the named channel at weight 1."""
        return self.deltas[blendshape_index(name)[0]]

    def weights(self, named: Mapping[str, float] | None = None, frames: int | None = None) -> np.ndarray:
        """A (52,) weight vector (or (frames, 52)) from a name -> weight mapping; others are 0."""
        out = np.zeros(len(self.names))
        for name, value in (named or {}).items():
            out[blendshape_index(name)[0]] = value
        return out if frames is None else np.tile(out, (frames, 1))

    # ---------------------------------------------------------------- evaluation
    def evaluate(self, weights: np.ndarray) -> np.ndarray:
        """Linear rig: (..., 52) weights -> (..., 478, 3) landmarks."""
        weights = np.asarray(weights, dtype=np.float64)
        flat = weights.reshape(-1, len(self.names)) @ self.deltas.reshape(len(self.names), -1)
        return self.neutral + flat.reshape(weights.shape[:-1] + (NUM_LANDMARKS, 3))

    def pose(self, weights: np.ndarray, points: np.ndarray | None = None) -> np.ndarray:
        """Like :meth:`evaluate`, but jawOpen is the exact rotation about the hinge: (..., 52) -> (..., 478, 3),
        or (..., P, 3) for only the landmarks ``points`` (P,) when given (cheaper for a few of them).

        The rotation's displacement is linear in (cos a - 1, sin a), so the whole pose is one matrix
        product: [weights without jawOpen, cos a - 1, sin a] @ [deltas; rotation basis].
        """
        weights = np.asarray(weights, dtype=np.float64)
        flat = weights.reshape(-1, len(self.names))
        jaw = blendshape_index(JAW_OPEN)[0]
        neutral = self.neutral if points is None else self.neutral[points]              # (P, 3)
        basis = self._pose_basis if points is None else self._pose_basis[:, points]    # (54, P, 3)
        coefficients = np.concatenate([flat, self.hinge.rotation_coefficients(flat[:, jaw])], axis=1)   # (T, 54)
        out = coefficients @ basis.reshape(len(basis), -1)                             # (T, P * 3)
        out += neutral.reshape(-1)
        return out.reshape(weights.shape[:-1] + (len(neutral), 3))

    @cached_property
    def _pose_basis(self) -> np.ndarray:
        """(54, 478, 3) the rows :meth:`pose` multiplies: the deltas with jawOpen's zeroed (the hinge moves
        the jaw), then the hinge's rotation basis. Built once per rig; the rig's arrays are never changed."""
        basis = np.concatenate([self.deltas, self.hinge.rotation_basis(self.neutral)])
        basis[blendshape_index(JAW_OPEN)[0]] = 0.0
        return basis

    def peak_displacement(self) -> dict[str, float]:
        """Largest landmark displacement of each channel at weight 1, in metres."""
        peaks = np.linalg.norm(self.deltas, axis=2).max(axis=1)
        return dict(zip(self.names, peaks.tolist()))


def assemble(built: Mapping[str, np.ndarray], mirror: np.ndarray) -> np.ndarray:
    """(52, 478, 3) deltas in ARKit order from left-side and bilateral shapes.

    Right-side shapes are mirrors of their left twins; bilateral ones are symmetrized.
    Raises ValueError when a channel is missing, or is given on the right side.
    """
    deltas = np.zeros((len(ARKIT_BLENDSHAPE_NAMES), NUM_LANDMARKS, 3))
    for row, name in enumerate(ARKIT_BLENDSHAPE_NAMES):
        twin = mirror_name(name)
        if name.endswith(RIGHT):
            if name in built:
                raise ValueError(f"{name}: right-side shapes are mirrored from {twin}, not built")
            source = twin
        else:
            source = name
        if source not in built:
            raise ValueError(f"no shape was built for {source}")
        field_ = np.asarray(built[source], dtype=np.float64)
        if name.endswith(RIGHT):
            field_ = mirror_points(field_, mirror)
        elif twin is None:
            field_ = symmetrize(field_, mirror)
        deltas[row] = field_
    unknown = set(built) - set(ARKIT_BLENDSHAPE_NAMES)
    if unknown:
        raise ValueError(f"shapes for unknown channels {sorted(unknown)}")
    return deltas
