"""The *RealTalk Performance* in the scene: what Generate builds and Export reads back.

Objects, all in the collection "RealTalk Performance":

* **RealTalk Performance** (empty): the Take's head space turned upright for Blender (Take y-up,
  z towards the camera -> Blender Z-up, -Y towards the camera).
* **RealTalk Head**: the subject's rig mesh (478 vertices: the 468-vertex face mesh plus the
  10 iris points) with the 52 ARKit shape keys, addressed by name. Its vertices *are* the
  landmarks of the linear rig. Shape-key values are keyed per frame; the head pose is its
  location and quaternion keys (relative to the performance empty).
* **RealTalk Landmarks**: the head's 478 evaluated vertices shown as points (a Geometry Nodes
  modifier reading the head), so the landmarks are always those of the keyed blendshapes.
* **RealTalk Camera**: the Take's camera (at the origin, looking down the Take's -z).
"""

from __future__ import annotations

import math

import bpy
import numpy as np

from . import compat, keys
from ._vendor.schema import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES
from ._vendor.schema.rig_mesh import RigMesh
from .convert import loc_quat_to_matrix, matrix_to_loc_quat
from .properties import EMOTION_PATH, INTENSITY

COLLECTION = ROOT = "RealTalk Performance"
HEAD, LANDMARKS, CAMERA = "RealTalk Head", "RealTalk Landmarks", "RealTalk Camera"
LANDMARK_NODES = "RealTalk Landmark Points"
LANDMARK_RADIUS = 0.0012
CAMERA_LENS_MM = 70.0


def shape_key_path(name: str) -> str:
    return f'key_blocks["{name}"].value'


def _link(obj, collection) -> None:
    if obj.name not in collection.objects:
        collection.objects.link(obj)


def _collection(scene):
    collection = bpy.data.collections.get(COLLECTION)
    if collection is None:
        collection = bpy.data.collections.new(COLLECTION)
    if collection.name not in scene.collection.children:
        scene.collection.children.link(collection)
    return collection


def _root(collection):
    root = bpy.data.objects.get(ROOT)
    if root is None:
        root = bpy.data.objects.new(ROOT, None)
        root.empty_display_type = 'ARROWS'
        root.empty_display_size = 0.05
        root.rotation_euler = (math.pi / 2, 0.0, 0.0)
    _link(root, collection)
    return root


def _material(name: str, color: tuple[float, float, float, float], emission: float = 0.0):
    material = bpy.data.materials.get(name) or bpy.data.materials.new(name)
    material.diffuse_color = color
    compat.use_material_nodes(material)
    bsdf = material.node_tree.nodes.get("Principled BSDF")
    if bsdf is not None:
        bsdf.inputs["Base Color"].default_value = color
        bsdf.inputs["Roughness"].default_value = 0.55
        if emission and "Emission Color" in bsdf.inputs:
            bsdf.inputs["Emission Color"].default_value = color
            bsdf.inputs["Emission Strength"].default_value = emission
    return material


def _head(collection, root, rig: RigMesh):
    head = bpy.data.objects.get(HEAD)
    count = len(rig.neutral)
    if head is None or head.type != 'MESH' or len(head.data.vertices) != count:
        mesh = bpy.data.meshes.new(HEAD)
        mesh.from_pydata(rig.neutral.tolist(), [], rig.triangles.tolist())
        mesh.shade_smooth()
        if head is None:
            head = bpy.data.objects.new(HEAD, mesh)
        else:
            head.shape_key_clear()
            head.data = mesh
        head.data.materials.append(_material("RealTalk Skin", (0.80, 0.62, 0.52, 1.0)))
    head.parent = root
    head.rotation_mode = 'QUATERNION'
    _link(head, collection)
    if head.data.shape_keys is None:
        head.shape_key_add(name="Basis", from_mix=False)
    blocks = head.data.shape_keys.key_blocks
    head.data.vertices.foreach_set("co", rig.neutral.astype(np.float32).ravel())
    blocks["Basis"].data.foreach_set("co", rig.neutral.astype(np.float32).ravel())
    for name in ARKIT_BLENDSHAPE_NAMES:
        block = blocks.get(name) or head.shape_key_add(name=name, from_mix=False)
        block.slider_min, block.slider_max = 0.0, 1.0
        block.data.foreach_set("co", (rig.neutral + rig.deltas[name]).astype(np.float32).ravel())
    head.data.update()
    return head


def _landmark_nodes(head):
    group = bpy.data.node_groups.get(LANDMARK_NODES)
    if group is None:
        group = bpy.data.node_groups.new(LANDMARK_NODES, 'GeometryNodeTree')
        group.interface.new_socket(name="Geometry", in_out='INPUT', socket_type='NodeSocketGeometry')
        group.interface.new_socket(name="Geometry", in_out='OUTPUT', socket_type='NodeSocketGeometry')
        nodes = group.nodes
        nodes.new('NodeGroupInput')
        info = nodes.new('GeometryNodeObjectInfo')
        info.name = "Head"
        info.transform_space = 'RELATIVE'
        points = nodes.new('GeometryNodeMeshToPoints')
        points.inputs["Radius"].default_value = LANDMARK_RADIUS
        material = nodes.new('GeometryNodeSetMaterial')
        material.inputs["Material"].default_value = _material("RealTalk Landmark", (0.1, 0.9, 0.3, 1.0), 2.0)
        output = nodes.new('NodeGroupOutput')
        group.links.new(info.outputs["Geometry"], points.inputs["Mesh"])
        group.links.new(points.outputs["Points"], material.inputs["Geometry"])
        group.links.new(material.outputs["Geometry"], output.inputs["Geometry"])
    group.nodes["Head"].inputs["Object"].default_value = head
    return group


def _landmarks(collection, root, head):
    points = bpy.data.objects.get(LANDMARKS)
    if points is None:
        points = bpy.data.objects.new(LANDMARKS, bpy.data.meshes.new(LANDMARKS))
        points.modifiers.new("Landmarks", 'NODES')
    points.parent = root
    points.modifiers["Landmarks"].node_group = _landmark_nodes(head)
    points.hide_select = True
    _link(points, collection)
    return points


def _camera(collection, root):
    camera = bpy.data.objects.get(CAMERA)
    if camera is None:
        data = bpy.data.cameras.new(CAMERA)
        data.lens = CAMERA_LENS_MM
        data.clip_start = 0.01
        camera = bpy.data.objects.new(CAMERA, data)
    camera.parent = root
    _link(camera, collection)
    return camera


def ensure_performance(scene, rig: RigMesh):
    """Build the performance objects, or update them to ``rig``; returns the head."""
    collection = _collection(scene)
    root = _root(collection)
    head = _head(collection, root, rig)
    _landmarks(collection, root, head)
    camera = _camera(collection, root)
    if scene.camera is None:
        scene.camera = camera
    scene.realtalk.head = head
    return head


# ---------------------------------------------------------------- keys
def frames_of(frame_start: int, count: int) -> np.ndarray:
    return np.arange(frame_start, frame_start + count, dtype=np.float64)


def key_blendshapes(head, frames: np.ndarray, weights: np.ndarray) -> None:
    """(T, 52) weights in ARKit order -> one linear F-curve per named shape key."""
    for j, name in enumerate(ARKIT_BLENDSHAPE_NAMES):
        keys.write_curve(head.data.shape_keys, shape_key_path(name), frames, weights[:, j])


def read_blendshapes(head, frames: np.ndarray) -> np.ndarray:
    """The shape-key curves evaluated at ``frames`` -> (T, 52) in ARKit order."""
    blocks = head.data.shape_keys.key_blocks
    return np.stack([keys.evaluate(head.data.shape_keys, shape_key_path(name), frames, blocks[name].value)
                     for name in ARKIT_BLENDSHAPE_NAMES], axis=1)


def key_head_pose(head, frames: np.ndarray, poses: np.ndarray) -> None:
    location, quat = matrix_to_loc_quat(poses)
    for i in range(3):
        keys.write_curve(head, "location", frames, location[:, i], index=i)
    for i in range(4):
        keys.write_curve(head, "rotation_quaternion", frames, quat[:, i], index=i)


def read_head_pose(head, frames: np.ndarray) -> np.ndarray:
    location = np.stack([keys.evaluate(head, "location", frames, head.location[i], i) for i in range(3)], 1)
    quat = np.stack([keys.evaluate(head, "rotation_quaternion", frames, head.rotation_quaternion[i], i)
                     for i in range(4)], 1)
    return loc_quat_to_matrix(location, quat)


def key_emotion(scene, frame: int, values: dict[str, float], intensity: float = 1.0) -> None:
    """Replace the emotion curves by one constant key per channel at ``frame``."""
    for name in EMOTION_NAMES:
        keys.write_curve(scene, EMOTION_PATH + name, np.array([frame]), np.array([values[name]]), interpolation="CONSTANT")
    keys.write_curve(scene, EMOTION_PATH + INTENSITY, np.array([frame]), np.array([intensity]), interpolation="CONSTANT")


def read_emotion(scene, frames: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The emotion curves at ``frames``: name -> (T,) weights, and the (T,) intensity."""
    emotion = scene.realtalk.emotion
    weights = {name: keys.evaluate(scene, EMOTION_PATH + name, frames, getattr(emotion, name))
               for name in EMOTION_NAMES}
    return weights, keys.evaluate(scene, EMOTION_PATH + INTENSITY, frames, emotion.intensity)
