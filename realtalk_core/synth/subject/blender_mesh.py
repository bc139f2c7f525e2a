"""Numpy geometry into Blender mesh objects, and per-frame vertex updates (bpy only here and in scene modules)."""

from __future__ import annotations

import bpy
import numpy as np


def mesh_object(name: str, vertices: np.ndarray, triangles: np.ndarray, collection: "bpy.types.Collection",
                materials: list["bpy.types.Material"], material_index: np.ndarray | None = None,
                uv: np.ndarray | None = None, smooth: bool = True) -> "bpy.types.Object":
    """A new object holding a triangle mesh; ``uv`` is per vertex (V, 2), ``material_index`` per triangle."""
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(len(vertices))
    mesh.vertices.foreach_set("co", np.asarray(vertices, np.float32).ravel())
    count = len(triangles)
    mesh.loops.add(3 * count)
    mesh.loops.foreach_set("vertex_index", np.asarray(triangles, np.int32).ravel())
    mesh.polygons.add(count)
    mesh.polygons.foreach_set("loop_start", np.arange(0, 3 * count, 3, dtype=np.int32))
    mesh.polygons.foreach_set("loop_total", np.full(count, 3, np.int32))
    if material_index is not None:
        mesh.polygons.foreach_set("material_index", np.asarray(material_index, np.int32))
    mesh.polygons.foreach_set("use_smooth", np.full(count, smooth, bool))
    if uv is not None:
        layer = mesh.uv_layers.new(name="UVMap")
        layer.data.foreach_set("uv", np.asarray(uv, np.float32)[np.asarray(triangles).ravel()].ravel())
    mesh.update(calc_edges=True)
    mesh.validate()
    _outward_normals(mesh)
    for material in materials:
        mesh.materials.append(material)
    obj = bpy.data.objects.new(name, mesh)
    collection.objects.link(obj)
    return obj


def _outward_normals(mesh: "bpy.types.Mesh") -> None:
    """Wind every face consistently, pointing out of closed shells."""
    import bmesh

    bm = bmesh.new()
    bm.from_mesh(mesh)
    bmesh.ops.recalc_face_normals(bm, faces=bm.faces)
    bm.to_mesh(mesh)
    bm.free()


def set_vertices(obj: "bpy.types.Object", vertices: np.ndarray) -> None:
    """Overwrite the object's vertex positions (same count) in its local space."""
    mesh = obj.data
    mesh.vertices.foreach_set("co", np.asarray(vertices, np.float32).ravel())
    mesh.update()


def set_matrix(obj: "bpy.types.Object", matrix: np.ndarray) -> None:
    """Set the object's local matrix (to its parent, or the world) from a (4, 4) array."""
    from mathutils import Matrix

    obj.matrix_basis = Matrix(np.asarray(matrix, np.float64).tolist())
