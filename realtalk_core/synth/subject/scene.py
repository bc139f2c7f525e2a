"""The synthetic subject in Blender: head, eyes, mouth, hair, ears, neck and torso, posed per frame.

:func:`build_scene` resets Blender (factory settings, empty) and builds everything;
:meth:`SubjectScene.pose` sets one frame: the face vertices from ``rig.pose(weights)``
(exactly the ground-truth landmarks), the head transform from ``head_pose``, the eyes'
gaze, the jaw, and the neck blend between the still torso and the moving head.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import bpy
import numpy as np

from ...rig.face_rig import FaceRig
from .blender_mesh import mesh_object, set_matrix, set_vertices
from .body import ear_meshes, hair_mesh, neck_rest, pose_neck, torso_mesh
from .eyes import Eye, build_eyes, eye_matrix
from .face_texture import save_face_texture
from .head_mesh import HeadMaterial, HeadMesh
from .labels import Label
from .materials import eyeball, hair, plain, skin, teeth
from .mouth import jaw_matrix, teeth_meshes, tongue_mesh
from .shapes import ellipsoid
from .stage import add_camera, add_mask_scene, add_studio, set_output
from .scene_config import SubjectSceneConfig
from .topology import vertex_normals


@dataclass
class SubjectScene:
    """Handles to the built scene; :meth:`pose` sets a frame."""

    rig: FaceRig
    mesh: HeadMesh
    scene: "bpy.types.Scene"          # the RGB scene (lights, backdrop, person)
    masks: "bpy.types.Scene"          # the flat label scene (person only)
    person: "bpy.types.Collection"
    head: "bpy.types.Object"
    eyes: list[tuple["bpy.types.Object", Eye]]
    jaw: "bpy.types.Object"
    neck: "bpy.types.Object"
    neck_rest: np.ndarray             # (V, 3) rest-frame neck vertices
    neck_weight: np.ndarray           # (V,) how much each follows the head
    rest_pose: np.ndarray             # (4, 4)

    def pose(self, weights: np.ndarray, head_pose: np.ndarray) -> np.ndarray:
        """Set one frame from (52,) weights and a (4, 4) head pose; returns the (478, 3) head-space landmarks."""
        landmarks = self.rig.pose(np.asarray(weights, np.float64))
        set_vertices(self.head, self.mesh.positions(landmarks))
        set_matrix(self.head, head_pose)
        for obj, eye in self.eyes:
            set_matrix(obj, eye_matrix(eye, landmarks))
        set_matrix(self.jaw, jaw_matrix(self.rig, weights))
        set_vertices(self.neck, pose_neck(self.neck_rest, self.neck_weight, self.rest_pose, head_pose))
        return landmarks

    def show_person(self, visible: bool) -> None:
        """Hide the person from the RGB scene (for the background plate) or show it again."""
        self.scene.view_layers[0].layer_collection.children[self.person.name].exclude = not visible


def build_scene(rig: FaceRig, uv: np.ndarray, rest_pose: np.ndarray, size: int, workdir: Path,
                config: SubjectSceneConfig | None = None) -> SubjectScene:
    """Reset Blender and build the subject and its studio; ``workdir`` receives the face texture."""
    config = config or SubjectSceneConfig()
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    scene.name = "subject"
    set_output(scene, size)
    rest_pose = np.asarray(rest_pose, np.float64)
    camera = add_camera(scene, config.camera)
    add_studio(scene, rest_pose[:3, 3], config.lights, config.look)
    person = bpy.data.collections.new("person")
    scene.collection.children.link(person)

    mesh = HeadMesh.build(rig, uv, config.head)
    look = config.look
    texture = save_face_texture(uv, workdir / "face_albedo.png", config.texture)
    head_skin = skin("head_skin", look, Label.PERSON)
    slots = {HeadMaterial.FACE_SKIN: skin("face_skin", look, Label.FACE, texture),
             HeadMaterial.HEAD_SKIN: head_skin,
             HeadMaterial.MOUTH: plain("mouth", (0.09, 0.012, 0.012), Label.FACE, roughness=0.6),
             HeadMaterial.EYE_SOCKET: plain("eye_socket", (0.45, 0.16, 0.14), Label.FACE, roughness=0.3)}
    rest_vertices = mesh.positions(rig.neutral)
    head = mesh_object("head", rest_vertices, mesh.triangles, person, [slots[m] for m in HeadMaterial],
                       material_index=mesh.material, uv=mesh.uv)

    def child(name, geometry, materials, parent=head, smooth=True):
        obj = mesh_object(name, geometry[0], geometry[1], person, materials, smooth=smooth)
        obj.parent = parent
        return obj

    skull_tris = mesh.triangles[mesh.material == HeadMaterial.HEAD_SKIN]
    normals = vertex_normals(rest_vertices, mesh.triangles)
    child("hair", hair_mesh(rest_vertices, skull_tris, normals, config.hair),
          [hair("hair", look)])
    for i, ear in enumerate(ear_meshes(config.head.skull.centre, config.head.skull.radii[0])):
        child(f"ear_{i}", ear, [head_skin])

    eye_material = eyeball("eyeball", look, config.eyes.radius_m)
    eyes = []
    for side, eye in zip(("right", "left"), build_eyes(rig, config.eyes)):
        r = config.eyes.radius_m
        eyes.append((child(f"eye_{side}", ellipsoid((r, r, r), segments=32, rings=20), [eye_material]), eye))
    enamel = teeth("teeth", config.mouth.tooth_width_m)
    upper, lower = teeth_meshes(rig, config.mouth)
    child("teeth_upper", upper, [enamel])
    jaw = bpy.data.objects.new("jaw", None)
    person.objects.link(jaw)
    jaw.parent = head
    child("teeth_lower", lower, [enamel], parent=jaw)
    child("tongue", tongue_mesh(rig, config.mouth), [plain("tongue", (0.45, 0.1, 0.09), Label.FACE, 0.35)],
          parent=jaw)

    cloth = plain("cloth", look.cloth, Label.PERSON, roughness=0.85, noise_scale=400.0)
    torso_v, torso_t = torso_mesh(config.body)
    mesh_object("torso", _to_camera(torso_v, rest_pose), torso_t, person, [cloth])
    neck_v, neck_t, neck_w = neck_rest(config.body)
    neck = mesh_object("neck", _to_camera(neck_v, rest_pose), neck_t, person, [head_skin])

    masks = add_mask_scene(camera, person, size)
    built = SubjectScene(rig=rig, mesh=mesh, scene=scene, masks=masks, person=person, head=head, eyes=eyes,
                         jaw=jaw, neck=neck, neck_rest=neck_v, neck_weight=neck_w, rest_pose=rest_pose)
    built.pose(np.zeros(len(rig.names)), rest_pose)
    return built


def _to_camera(points: np.ndarray, pose: np.ndarray) -> np.ndarray:
    return points @ pose[:3, :3].T + pose[:3, 3]
