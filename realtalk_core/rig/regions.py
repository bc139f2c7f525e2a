"""The canonical face's anatomy for rigging: openings, named anchors, and soft region masks.

Everything is derived from the canonical neutral landmarks and mesh triangles; shape
builders (``shapes_*.py``) read these fields and never index landmarks by bare number.
Only the *left* side (+x, the subject's left) is described: right-side shapes are
mirrors of left ones.
"""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np

from ..schema.channels import LANDMARK_GROUPS, NUM_MESH_VERTICES
from .contours import Opening, split_opening
from .mesh_fields import MeshGraph, cut_openings, pad_to_landmarks, vertex_normals
from .pose import rigid_landmarks
from .symmetry import mirror_map

#: Named single landmarks used as anchors (MediaPipe ids).
CHIN = 152
NOSE_TIP = 1
SUBNASALE = 2          # the base of the nose, on the midline
EAR_RIGHT, EAR_LEFT = 234, 454  # the face oval's lateral-most points, in front of the ears


@dataclass(frozen=True)
class FaceRegions:
    """Anatomy of one neutral face (478 landmarks), as needed by the shape builders."""

    points: np.ndarray        # (478, 3) float64 neutral, metres
    normals: np.ndarray       # (478, 3) unit outward normals (iris rows: +z)
    mirror: np.ndarray        # (478,) mirror partner of each landmark
    graph: MeshGraph          # the mesh with the mouth and eye openings cut out
    lips_outer: Opening
    lips_inner: Opening
    eye_left: Opening
    iris_left: np.ndarray     # (5,) ids: centre, then the rim
    brow_left: np.ndarray     # (10,) ids
    brow_left_t: np.ndarray   # (10,) 0 at the brow's inner end, 1 at its outer end
    rigid: np.ndarray         # (K,) ids no shape may move: the head-pose reference (pose.py)
    jaw: np.ndarray           # (478,) 1 on the mandible and lower lip, 0 above the mouth
    upper_lip: np.ndarray     # (478,) 1 on the upper lip, fading over the skin around it
    lower_lip: np.ndarray     # (478,) 1 on the lower lip, fading over the skin around it

    @classmethod
    def from_neutral(cls, neutral: np.ndarray, triangles: np.ndarray) -> "FaceRegions":
        points = np.asarray(neutral, dtype=np.float64)
        openings = [LANDMARK_GROUPS[name] for name in ("lips_inner", "eye_right", "eye_left")]
        cut = cut_openings(triangles, openings)
        normals = np.tile([0.0, 0.0, 1.0], (len(points), 1))
        normals[:NUM_MESH_VERTICES] = vertex_normals(points[:NUM_MESH_VERTICES], triangles)
        brow = np.array(LANDMARK_GROUPS["brow_left"])
        brow_x = points[brow, 0]
        partial = dict(
            points=points, normals=normals, mirror=mirror_map(points),
            graph=MeshGraph.from_mesh(points[:NUM_MESH_VERTICES], cut),
            lips_outer=split_opening(LANDMARK_GROUPS["lips_outer"], points),
            lips_inner=split_opening(LANDMARK_GROUPS["lips_inner"], points),
            eye_left=split_opening(LANDMARK_GROUPS["eye_left"], points),
            iris_left=np.array(LANDMARK_GROUPS["iris_left"]),
            brow_left=brow, brow_left_t=(brow_x - brow_x.min()) / np.ptp(brow_x),
            rigid=rigid_landmarks(),
        )
        masks = _region_masks(points, partial["graph"], partial["lips_outer"], partial["lips_inner"],
                              partial["rigid"])
        return cls(**partial, **masks)

    # ------------------------------------------------------------ helpers for shapes
    def extend(self, handles: np.ndarray, moves: np.ndarray, reach: float,
               pinned: np.ndarray | None = None) -> np.ndarray:
        """(478, 3) smooth displacement field with ``moves`` (K, 3) at ``handles`` (K,).

        The field falls off along the skin to zero at vertices farther than ``reach``
        metres from every handle, at the rigid landmarks and at ``pinned`` ids.
        Iris handles are set directly (they are not on the mesh).
        """
        handles, moves = np.asarray(handles), np.asarray(moves, dtype=np.float64).reshape(-1, 3)
        on_mesh = handles < NUM_MESH_VERTICES
        mesh_points = self.points[:NUM_MESH_VERTICES]
        dist = np.linalg.norm(mesh_points[:, None] - self.points[handles][None], axis=2).min(axis=1)
        zero = np.flatnonzero(dist > reach)
        zero = np.union1d(zero, self.rigid)
        if pinned is not None:
            zero = np.union1d(zero, np.asarray(pinned)[np.asarray(pinned) < NUM_MESH_VERTICES])
        zero = np.setdiff1d(zero, handles[on_mesh])
        fixed = np.concatenate([handles[on_mesh], zero])
        values = np.concatenate([moves[on_mesh], np.zeros((len(zero), 3))])
        field = pad_to_landmarks(self.graph.harmonic(fixed, values))
        field[handles[~on_mesh]] = moves[~on_mesh]
        return field

    def masked(self, mask: np.ndarray, move: np.ndarray) -> np.ndarray:
        """(478, 3): the displacement ``move`` (3,) or (478, 3) scaled by a (478,) mask, rigid ids held."""
        field = mask[:, None] * np.broadcast_to(move, self.points.shape)
        field[self.rigid] = 0.0
        return field

    def surface_point(self, target: np.ndarray) -> np.ndarray:
        """(3,) the mesh vertex nearest to ``target`` (3,) in x and y: a point on the skin."""
        mesh = self.points[:NUM_MESH_VERTICES]
        return mesh[np.argmin(np.linalg.norm(mesh[:, :2] - target[:2], axis=1))]

    @property
    def mouth_corner_left(self) -> int:
        """Outer lip corner on the subject's left (+x)."""
        return int(self.lips_outer.corners[1])

    @property
    def lips(self) -> np.ndarray:
        """(478,) both lips with the corners, at most 1."""
        return np.minimum(self.upper_lip + self.lower_lip, 1.0)


def _lip_ring(points: np.ndarray, lips_outer: Opening, reach: float) -> np.ndarray:
    """Mesh ids farther than ``reach`` from the outer lip contour."""
    contour = points[np.concatenate([lips_outer.upper, lips_outer.lower])]
    dist = np.linalg.norm(points[:NUM_MESH_VERTICES, None] - contour[None], axis=2).min(axis=1)
    return np.flatnonzero(dist > reach)


def _region_masks(points: np.ndarray, graph: MeshGraph, lips_outer: Opening, lips_inner: Opening,
                  rigid: np.ndarray) -> dict[str, np.ndarray]:
    """Harmonic masks for the jaw and for each lip (ids fixed to 1 inside, 0 outside)."""
    upper = np.union1d(lips_outer.upper_inside, lips_inner.upper_inside)
    lower = np.union1d(lips_outer.lower_inside, lips_inner.lower_inside)
    mesh_y = points[:NUM_MESH_VERTICES, 1]
    corner_y = points[lips_outer.corners, 1].mean()
    oval = np.array(LANDMARK_GROUPS["face_oval"])
    # Jaw: the lower lip, the chin and the mandible's edge move; the nose and everything
    # above the nose tip stay. Towards the mouth corners the lips share the move (1/2 at
    # the corner), so the opening is an oval rather than a box.
    corner_x = np.abs(points[lips_outer.corners, 0]).max()
    near_corner = 0.5 * np.clip(np.abs(points[:, 0]) / corner_x, 0.0, 1.0) ** 3        # (478,)
    jaw_bone = np.union1d(oval[points[oval, 1] < corner_y], np.flatnonzero(mesh_y < points[CHIN, 1] + 0.03))
    jaw_bone = np.setdiff1d(jaw_bone, lower)
    jaw_still = np.union1d(np.flatnonzero(mesh_y > points[NOSE_TIP, 1]), LANDMARK_GROUPS["nose"])
    jaw_still = np.setdiff1d(np.union1d(jaw_still, rigid), upper)
    jaw = graph.harmonic(np.concatenate([lower, upper, jaw_bone, jaw_still]),
                         np.concatenate([1.0 - near_corner[lower], near_corner[upper],
                                         np.ones(len(jaw_bone)), np.zeros(len(jaw_still))]))
    ring = np.union1d(_lip_ring(points, lips_outer, reach=0.015), rigid)

    def lip(ones: np.ndarray, zeros: np.ndarray) -> np.ndarray:
        zeros = np.setdiff1d(np.union1d(zeros, ring), ones)
        return graph.harmonic(np.concatenate([ones, zeros]),
                              np.concatenate([np.ones(len(ones)), np.zeros(len(zeros))]))[:, 0]

    return dict(jaw=pad_to_landmarks(jaw[:, 0]), upper_lip=pad_to_landmarks(lip(upper, lower)),
                lower_lip=pad_to_landmarks(lip(lower, upper)))
