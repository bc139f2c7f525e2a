"""Teeth and tongue (numpy, head space), and the jaw transform that moves the lower ones.

The upper teeth are fixed to the skull. The lower teeth and the tongue hang on a jaw
transform: the rig's exact hinge rotation (``rig.hinge``, the same one ``FaceRig.pose``
applies to the landmarks) by ``jawOpen * angle``, plus the linear jawForward/jawLeft/
jawRight displacement of the lower lip's midpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...rig.face_rig import FaceRig
from ...rig.rotations import axis_angle_matrix
from ...schema.channels import blendshape_index
from .shapes import Mesh, ellipsoid, loft

UPPER_INNER_LIP, LOWER_INNER_LIP, LOWER_LIP = 13, 14, 17
MOUTH_CORNERS = (78, 308)


@dataclass(frozen=True)
class MouthConfig:
    """Teeth and tongue proportions (metres)."""

    arch_half_width_m: float = 0.024
    """Half width of each dental arch (to the last visible tooth)."""
    arch_depth_m: float = 0.016
    """How far back the arch curves at its ends."""
    inset_m: float = 0.0055
    """Incisors' front behind the inner lip midpoint."""
    tooth_height_m: float = 0.0095
    """Visible height of the incisors."""
    tooth_thickness_m: float = 0.006
    """Front-to-back thickness of the teeth."""
    overlap_m: float = 0.0012
    """Upper incisors' edge below the lip line, lower ones' edge above it."""
    tooth_width_m: float = 0.0068
    """Average tooth width (for the gaps painted between them)."""


def _arch(config: MouthConfig, front: np.ndarray, edge_y: float, height: float) -> Mesh:
    """A curved slab: cross-sections along the arch from the subject's right to left."""
    u = np.linspace(-1.0, 1.0, 33)
    x = u * config.arch_half_width_m
    back = config.arch_depth_m * u ** 2
    sections = []
    for xi, bi in zip(x, back):
        scallop = 0.0004 * np.cos(2 * np.pi * xi / config.tooth_width_m)   # rounded incisal edges
        t = config.tooth_thickness_m
        tip = edge_y + np.sign(height) * abs(scallop)
        root = edge_y + height
        ring = np.array([[0.0, tip, 0.0], [0.0, root, 0.0], [0.0, root, -t], [0.0, tip + 0.25 * height, -t]])
        ring[:, 0] = xi
        ring[:, 2] += front[2] - bi
        sections.append(ring)
    return loft(np.stack(sections))


def teeth_meshes(rig: FaceRig, config: MouthConfig) -> tuple[Mesh, Mesh]:
    """Upper and lower teeth in head space (the lower ones at jawOpen = 0)."""
    upper_lip, lower_lip = rig.neutral[UPPER_INNER_LIP], rig.neutral[LOWER_INNER_LIP]
    front = np.array([0.0, 0.0, min(upper_lip[2], lower_lip[2]) - config.inset_m])
    line = 0.5 * (upper_lip[1] + lower_lip[1])
    upper = _arch(config, front, line - config.overlap_m, config.tooth_height_m)
    lower = _arch(config, front - np.array([0.0, 0.0, 0.0015]), line - config.overlap_m,
                  -config.tooth_height_m * 0.9)
    return upper, lower


def tongue_mesh(rig: FaceRig, config: MouthConfig) -> Mesh:
    """A flattened ellipsoid resting behind the lower teeth."""
    lower_lip = rig.neutral[LOWER_INNER_LIP]
    centre = (0.0, lower_lip[1] - 0.006, lower_lip[2] - config.inset_m - 0.026)
    vertices, tris = ellipsoid((0.021, 0.0075, 0.028), segments=24, rings=12, centre=centre)
    return vertices, tris


def jaw_matrix(rig: FaceRig, weights: np.ndarray) -> np.ndarray:
    """(4, 4) head-space transform of the lower teeth and tongue for one frame's (52,) weights."""
    hinge = rig.hinge
    angle = float(weights[blendshape_index("jawOpen")[0]]) * hinge.angle_rad
    rot = axis_angle_matrix((hinge.axis * angle)[None])[0]
    shift = np.zeros(3)
    for name in ("jawForward", "jawLeft", "jawRight"):
        shift += float(weights[blendshape_index(name)[0]]) * rig.delta(name)[LOWER_LIP]
    matrix = np.eye(4)
    matrix[:3, :3] = rot
    matrix[:3, 3] = hinge.point - rot @ hinge.point + shift
    return matrix
