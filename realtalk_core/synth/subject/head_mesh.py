"""The head as one deforming mesh: face (exact rig vertices), skull shell, mouth and eye pockets.

Vertex ids 0..467 are the rig's mesh landmarks, so setting them from ``rig.pose(weights)``
puts the rendered face exactly where the ground-truth landmarks are. The rest of the
vertices are derived from the posed face every frame (:meth:`HeadMesh.positions`).
Pure numpy: the Blender side only copies these arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from ...rig.face_rig import FaceRig
from ...schema.channels import NUM_MESH_VERTICES
from .pockets import Pocket, build_pocket, eye_pocket_config, lip_spread, mouth_pocket_config, pose_pocket
from .skull import SkullConfig, SkullShell, build_skull, pose_skull
from .topology import FaceTopology, boundary_loops, open_face, vertex_normals


class HeadMaterial(IntEnum):
    """Material slots of the head mesh, in slot order."""

    FACE_SKIN = 0
    HEAD_SKIN = 1
    MOUTH = 2
    EYE_SOCKET = 3


@dataclass(frozen=True)
class HeadMeshConfig:
    """Shape of the parts of the head mesh that the rig does not give."""

    skull: SkullConfig = field(default_factory=SkullConfig)
    """The cranium bridged to the face oval."""


@dataclass(frozen=True)
class HeadMesh:
    """Topology and rest geometry of the head mesh."""

    rig: FaceRig
    triangles: np.ndarray    # (F, 3) int, all parts
    material: np.ndarray     # (F,) HeadMaterial per triangle
    uv: np.ndarray           # (V, 2) per-vertex texture coordinates (Blender convention, v up)
    skull: SkullShell
    pockets: tuple[Pocket, ...]
    offsets: tuple[int, ...]  # first vertex id of the skull, then of each pocket

    @property
    def num_vertices(self) -> int:
        return len(self.uv)

    @classmethod
    def build(cls, rig: FaceRig, uv: np.ndarray, config: HeadMeshConfig | None = None) -> "HeadMesh":
        """The head of ``rig``; ``uv`` (468, 2) are the canonical mesh's UVs (v down)."""
        config = config or HeadMeshConfig()
        topo = open_face(rig.triangles)
        face = rig.neutral[:NUM_MESH_VERTICES]
        normals = vertex_normals(face, topo.triangles)
        neighbours: list[list[int]] = [[] for _ in range(NUM_MESH_VERTICES)]
        for tri in topo.triangles.tolist():
            for a in tri:
                neighbours[a].extend(b for b in tri if b != a)
        skull = build_skull(face, normals, topo.outer, neighbours, config.skull)

        opened = rig.pose(rig.weights({"jawOpen": 1.0}))[:NUM_MESH_VERTICES]
        pockets = []
        for group, loop in _directed_holes(topo).items():
            if group == "lips_inner":
                spread = lip_spread(opened[loop])
                pockets.append((HeadMaterial.MOUTH, build_pocket(loop, face[loop], spread, mouth_pocket_config())))
            else:
                pockets.append((HeadMaterial.EYE_SOCKET,
                                build_pocket(loop, face[loop], np.zeros(len(loop)), eye_pocket_config())))

        tris = [topo.triangles]
        mats = [np.full(len(topo.triangles), HeadMaterial.FACE_SKIN)]
        offsets = []
        start = NUM_MESH_VERTICES
        for material, loop, extra, local in ([(HeadMaterial.HEAD_SKIN, topo.outer, skull.rest, skull.faces)]
                                             + [(m, p.loop, p.rest, p.faces) for m, p in pockets]):
            offsets.append(start)
            tris.append(_globalise(local, loop, start))
            mats.append(np.full(len(local), material))
            start += len(extra)
        uv_all = np.zeros((start, 2), np.float64)
        uv_all[:NUM_MESH_VERTICES] = np.stack([uv[:, 0], 1.0 - uv[:, 1]], axis=1)
        return cls(rig=rig, triangles=np.concatenate(tris), material=np.concatenate(mats), uv=uv_all,
                   skull=skull, pockets=tuple(p for _, p in pockets), offsets=tuple(offsets))

    def positions(self, landmarks: np.ndarray) -> np.ndarray:
        """(V, 3) head-space vertex positions from posed landmarks (478, 3) (or the 468 mesh ones)."""
        face_rest = self.rig.neutral[:NUM_MESH_VERTICES]
        face = np.asarray(landmarks, np.float64)[:NUM_MESH_VERTICES]
        parts = [face, pose_skull(self.skull, face_rest, face)]
        parts += [pose_pocket(p, face_rest, face) for p in self.pockets]
        return np.concatenate(parts)


def _globalise(local: np.ndarray, loop: np.ndarray, start: int) -> np.ndarray:
    """Map bridge_faces' local ids (loop first, then new vertices) to head-mesh vertex ids."""
    size = len(loop)
    return np.where(local < size, loop[np.minimum(local, size - 1)], start + local - size)


def _directed_holes(topo: FaceTopology) -> dict[str, np.ndarray]:
    """Each hole's loop in the direction the opened mesh's boundary runs (mesh on its left)."""
    loops = boundary_loops(topo.triangles)
    out = {}
    for group, members in topo.holes.items():
        match = next(loop for loop in loops if set(loop.tolist()) == set(members.tolist()))
        out[group] = match
    return out
