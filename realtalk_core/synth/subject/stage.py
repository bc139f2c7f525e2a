"""The studio around the subject: camera, key/fill/rim lights, world, backdrop, and the mask scene.

Blender's world space is the Take's camera space (the camera sits at the origin,
unrotated, looking down -z). Lights and backdrop are placed around the head's rest
position, so they stay put while the head moves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .camera import SubjectCameraConfig
from .materials import LookConfig, backdrop

if TYPE_CHECKING:
    import bpy


@dataclass(frozen=True)
class LightConfig:
    """Soft studio lighting; offsets are from the head's rest position, in camera space (metres)."""

    key_offset: tuple[float, float, float] = (-0.45, 0.35, 0.5)
    """Key light: camera left, above, in front."""
    key_power_w: float = 22.0
    """Key light power."""
    fill_offset: tuple[float, float, float] = (0.6, 0.0, 0.5)
    """Fill light: camera right, at eye level."""
    fill_power_w: float = 8.0
    """Fill light power."""
    rim_offset: tuple[float, float, float] = (0.3, 0.45, -0.55)
    """Rim light: behind and above, for a bright edge on hair and shoulders."""
    rim_power_w: float = 30.0
    """Rim light power."""
    ambient: float = 0.08
    """World light strength (a neutral grey)."""
    backdrop_distance_m: float = 1.3
    """How far behind the head the backdrop stands."""


def add_camera(scene: "bpy.types.Scene", config: SubjectCameraConfig) -> "bpy.types.Object":
    """The render camera at the origin with the configured vertical field of view and shift."""
    import bpy

    data = bpy.data.cameras.new("camera")
    data.sensor_fit = "VERTICAL"
    data.angle_y = math.radians(config.fov_y_degrees)
    data.shift_y = config.shift_y
    data.clip_start, data.clip_end = 0.05, 20.0
    camera = bpy.data.objects.new("camera", data)
    scene.collection.objects.link(camera)
    scene.camera = camera
    return camera


def _area_light(name: str, collection, position: np.ndarray, target: np.ndarray, power: float,
                size: float) -> "bpy.types.Object":
    import bpy
    from mathutils import Vector

    data = bpy.data.lights.new(name, "AREA")
    data.energy, data.size = power, size
    light = bpy.data.objects.new(name, data)
    light.location = Vector(position.tolist())
    light.rotation_mode = "QUATERNION"
    light.rotation_quaternion = Vector((target - position).tolist()).to_track_quat("-Z", "Y")
    collection.objects.link(light)
    return light


def add_studio(scene: "bpy.types.Scene", rest_position: np.ndarray, lights: LightConfig,
               look: LookConfig) -> "bpy.types.Collection":
    """Lights, world and backdrop in a collection of their own (rendered in the RGB scene only)."""
    import bpy

    studio = bpy.data.collections.new("studio")
    scene.collection.children.link(studio)
    target = rest_position + np.array([0.0, -0.02, -0.03])
    _area_light("key", studio, rest_position + np.asarray(lights.key_offset), target, lights.key_power_w, 0.6)
    _area_light("fill", studio, rest_position + np.asarray(lights.fill_offset), target, lights.fill_power_w, 0.9)
    _area_light("rim", studio, rest_position + np.asarray(lights.rim_offset), target, lights.rim_power_w, 0.4)

    world = bpy.data.worlds.new("studio")
    background = world.node_tree.nodes.get("Background") or world.node_tree.nodes.new("ShaderNodeBackground")
    background.inputs["Color"].default_value = (0.5, 0.5, 0.52, 1.0)
    background.inputs["Strength"].default_value = lights.ambient
    scene.world = world

    depth = -rest_position[2] + lights.backdrop_distance_m
    half = depth * 0.55
    mesh = bpy.data.meshes.new("backdrop")
    mesh.from_pydata([(-half, -half, 0), (half, -half, 0), (half, half, 0), (-half, half, 0)], [], [(0, 1, 2, 3)])
    mesh.materials.append(backdrop("backdrop", look))
    plane = bpy.data.objects.new("backdrop", mesh)
    plane.location = (rest_position[0], rest_position[1] - 0.1 * depth, -depth)
    studio.objects.link(plane)
    return studio


def add_mask_scene(camera: "bpy.types.Object", person: "bpy.types.Collection", size: int) -> "bpy.types.Scene":
    """A Workbench scene sharing the camera and the person: flat material colours, no anti-aliasing."""
    import bpy

    masks = bpy.data.scenes.new("masks")
    masks.collection.objects.link(camera)
    masks.collection.children.link(person)
    masks.camera = camera
    world = bpy.data.worlds.new("black")
    world.color = (0.0, 0.0, 0.0)
    masks.world = world
    masks.render.engine = "BLENDER_WORKBENCH"
    masks.display.render_aa = "OFF"
    shading = masks.display.shading
    shading.light, shading.color_type = "FLAT", "MATERIAL"
    shading.show_cavity = shading.show_shadows = shading.show_object_outline = False
    shading.show_specular_highlight = False
    shading.background_type = "WORLD"
    masks.view_settings.view_transform, masks.view_settings.look = "Standard", "None"
    masks.view_settings.exposure, masks.view_settings.gamma = 0.0, 1.0
    masks.render.dither_intensity = 0.0
    set_output(masks, size)
    return masks


def set_output(scene: "bpy.types.Scene", size: int) -> None:
    """Square 8-bit RGB PNG output of ``size`` pixels."""
    render = scene.render
    render.resolution_x = render.resolution_y = size
    render.resolution_percentage = 100
    render.image_settings.file_format = "PNG"
    render.image_settings.color_mode = "RGB"
    render.image_settings.color_depth = "8"
    render.image_settings.compression = 15
    render.use_sequencer = render.use_compositing = False
