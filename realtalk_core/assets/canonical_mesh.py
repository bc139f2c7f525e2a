"""MediaPipe's canonical face mesh, decoded from the face landmarker bundle.

The ``.task`` file is a zip; its ``geometry_pipeline_metadata_landmarks.binarypb`` is a
protobuf message whose field 1 is the canonical mesh (a ``Mesh3d``):

* field 1, 2: vertex type and primitive type (0, 0: vertices with UVs, triangles),
* field 3: the vertex buffer, 5 floats per vertex (x y z u v), in centimetres,
* field 4: the index buffer, 3 indices per triangle.

We decode it with our own wire-format reader (``protowire``) and convert to metres in the
Take's coordinate frame (+x the subject's left, +y up, +z out of the face).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..schema.channels import LANDMARK_GROUPS, NUM_LANDMARKS, NUM_MESH_VERTICES
from ..schema.fileio import atomic_write
from .protowire import WireFormatError, fields_by_number, only_bytes, repeated_float32, repeated_varint
from .store import AssetError

GEOMETRY_MEMBER = "geometry_pipeline_metadata_landmarks.binarypb"
NUM_TRIANGLES = 898
CM_TO_M = 0.01
#: Human iris radius (about 11.7 mm across), used to place the rim points of the neutral iris.
IRIS_RADIUS_M = 0.00585


@dataclass(frozen=True)
class CanonicalMesh:
    vertices: np.ndarray   # (468, 3) float32, metres, head space
    uv: np.ndarray         # (468, 2) float32, texture coordinates (v down, as in MediaPipe)
    triangles: np.ndarray  # (898, 3) int32, counter-clockwise seen from the front


def parse_geometry_metadata(data: bytes) -> CanonicalMesh:
    """Decode the canonical mesh from the geometry pipeline metadata bytes."""
    try:
        top = fields_by_number(data)
        mesh = fields_by_number(only_bytes(top, 1, "canonical_mesh"))
        vertex_buffer = repeated_float32(mesh, 3)
        index_buffer = repeated_varint(mesh, 4)
    except WireFormatError as err:
        raise AssetError(f"{GEOMETRY_MEMBER}: cannot decode the canonical mesh ({err}); "
                         "run `realtalk assets fetch`") from None
    if vertex_buffer.size != NUM_MESH_VERTICES * 5 or index_buffer.size != NUM_TRIANGLES * 3:
        raise AssetError(f"{GEOMETRY_MEMBER}: expected {NUM_MESH_VERTICES} vertices and {NUM_TRIANGLES} "
                         f"triangles, found {vertex_buffer.size / 5:g} and {index_buffer.size / 3:g}")
    if index_buffer.max() >= NUM_MESH_VERTICES or not np.isfinite(vertex_buffer).all():
        raise AssetError(f"{GEOMETRY_MEMBER}: index or vertex out of range")
    table = vertex_buffer.reshape(NUM_MESH_VERTICES, 5)
    return CanonicalMesh(
        vertices=(table[:, :3] * CM_TO_M).astype(np.float32),
        uv=table[:, 3:].astype(np.float32).copy(),
        triangles=index_buffer.reshape(NUM_TRIANGLES, 3).astype(np.int32),
    )


@lru_cache(maxsize=4)
def _load_cached(task: str, mtime_ns: int, size: int) -> CanonicalMesh:
    try:
        with zipfile.ZipFile(task) as bundle:
            data = bundle.read(GEOMETRY_MEMBER)
    except (OSError, KeyError, zipfile.BadZipFile) as err:
        raise AssetError(f"{task}: cannot read {GEOMETRY_MEMBER} ({err}); run `realtalk assets fetch`") from None
    return parse_geometry_metadata(data)


def load_canonical_mesh(task: str | Path) -> CanonicalMesh:
    """The canonical mesh from a (verified) face_landmarker.task file."""
    stat = Path(task).stat()
    return _load_cached(str(task), stat.st_mtime_ns, stat.st_size)


def neutral_landmarks(mesh: CanonicalMesh) -> np.ndarray:
    """(478, 3) neutral landmarks: the 468 mesh vertices plus 10 iris points.

    The mesh has no iris vertices, so each iris is placed at the centre of its eye
    contour, slightly in front of the lids, with its 4 rim points at a human iris
    radius in the order MediaPipe uses: subject's left, up, subject's right, down
    (for the right iris: 469 +x, 470 +y, 471 -x, 472 -y).
    """
    points = np.zeros((NUM_LANDMARKS, 3), np.float32)
    points[:NUM_MESH_VERTICES] = mesh.vertices
    rim = IRIS_RADIUS_M * np.array([[1, 0, 0], [0, 1, 0], [-1, 0, 0], [0, -1, 0]], np.float32)
    for eye, iris in (("eye_right", "iris_right"), ("eye_left", "iris_left")):
        contour = mesh.vertices[list(LANDMARK_GROUPS[eye])]
        centre = contour.mean(axis=0)
        centre[2] = contour[:, 2].max()
        ids = LANDMARK_GROUPS[iris]
        points[ids[0]] = centre
        points[list(ids[1:])] = centre + rim
    return points


def write_obj(mesh: CanonicalMesh, target: Path) -> None:
    """Write the mesh as a Wavefront OBJ with UVs (metres; v flipped to OBJ's up convention)."""
    lines = ["# MediaPipe canonical face mesh, decoded by RealTalk Studio (metres)"]
    lines += [f"v {x:.6f} {y:.6f} {z:.6f}" for x, y, z in mesh.vertices]
    lines += [f"vt {u:.6f} {1.0 - v:.6f}" for u, v in mesh.uv]
    lines += [f"f {a}/{a} {b}/{b} {c}/{c}" for a, b, c in mesh.triangles + 1]
    with atomic_write(target, "w") as handle:
        handle.write("\n".join(lines) + "\n")
