"""The canonical face mesh decoded from the real face_landmarker.task."""

from __future__ import annotations

import struct
import zipfile

import numpy as np
import pytest

from realtalk_core.assets.canonical_mesh import (GEOMETRY_MEMBER, load_canonical_mesh, parse_geometry_metadata,
                                                 write_obj)
from realtalk_core.assets.store import AssetError


def test_mesh_has_468_vertices_898_triangles(task_path):
    mesh = load_canonical_mesh(task_path)
    assert mesh.vertices.shape == (468, 3) and mesh.uv.shape == (468, 2) and mesh.triangles.shape == (898, 3)
    assert mesh.triangles.min() == 0 and mesh.triangles.max() == 467
    assert len(np.unique(mesh.triangles)) == 468  # every vertex is used
    # Metres, face-sized: about 15 cm wide, 18 cm tall.
    width, height, _ = np.ptp(mesh.vertices, axis=0)
    assert 0.13 < width < 0.18 and 0.15 < height < 0.2
    assert (mesh.uv >= 0).all() and (mesh.uv <= 1).all()
    # The nose tip (vertex 1) is the front-most point on the midline.
    assert abs(mesh.vertices[1, 0]) < 1e-6 and mesh.vertices[1, 2] > np.percentile(mesh.vertices[:, 2], 99)


def test_triangles_face_the_camera(task_path):
    mesh = load_canonical_mesh(task_path)
    a, b, c = (mesh.vertices[mesh.triangles[:, k]] for k in range(3))
    normals = np.cross(b - a, c - a)
    centres = (a + b + c) / 3
    front = centres[:, 2] > np.median(centres[:, 2])
    # Counter-clockwise seen from the front: front-half normals point towards +z.
    assert (normals[front, 2] > 0).mean() > 0.95


def test_corrupt_geometry_is_an_asset_error(task_path):
    with zipfile.ZipFile(task_path) as bundle:
        data = bundle.read(GEOMETRY_MEMBER)
    with pytest.raises(AssetError, match="cannot decode the canonical mesh"):
        parse_geometry_metadata(data[:5000])
    # A well-formed message whose mesh has 1 vertex and 1 triangle.
    tiny_mesh = b"".join(b"\x1d" + struct.pack("<f", v) for v in (0, 0, 0, 0.5, 0.5)) + b"\x20\x00" * 3
    tiny = b"\x0a" + bytes([len(tiny_mesh)]) + tiny_mesh
    with pytest.raises(AssetError, match="expected 468 vertices and 898 triangles, found 1 and 1"):
        parse_geometry_metadata(tiny)


def test_obj_export(task_path, tmp_path):
    target = tmp_path / "mesh.obj"
    write_obj(load_canonical_mesh(task_path), target)
    lines = target.read_text().splitlines()
    assert sum(l.startswith("v ") for l in lines) == 468
    assert sum(l.startswith("vt ") for l in lines) == 468
    assert sum(l.startswith("f ") for l in lines) == 898
