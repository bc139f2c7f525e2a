"""Shader node trees for the synthetic subject (Cycles/EEVEE), each tagged with its mask label.

Every material's viewport colour (``diffuse_color``) is its mask label colour: the mask
pass renders with Workbench in flat material colours, so labels come out exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .labels import Label, label_colour

if TYPE_CHECKING:
    import bpy

Colour = tuple[float, float, float]
#: Custom properties holding each material's two viewport colours.
LABEL_COLOUR, LOOK_COLOUR = "label_colour", "look_colour"


@dataclass(frozen=True)
class LookConfig:
    """Colours (linear RGB) of everything that is not painted into the face texture."""

    skin: Colour = (0.578, 0.254, 0.150)
    """Skin of the head, ears and neck: the face texture's base tone (200, 138, 108) in linear RGB."""
    hair: Colour = (0.028, 0.016, 0.010)
    """Hair colour, a dark brown."""
    iris: Colour = (0.09, 0.05, 0.022)
    """Iris colour."""
    cloth: Colour = (0.035, 0.07, 0.10)
    """The sweater's colour."""
    backdrop_top: Colour = (0.20, 0.22, 0.25)
    """Backdrop colour at the top of the frame."""
    backdrop_bottom: Colour = (0.07, 0.075, 0.085)
    """Backdrop colour at the bottom."""


class Nodes:
    """A tiny helper over a material's node tree."""

    def __init__(self, material: "bpy.types.Material") -> None:
        self.tree = material.node_tree        # Blender 5 materials always have a node tree
        self.tree.nodes.clear()

    def add(self, kind: str, **inputs):
        node = self.tree.nodes.new(kind)
        for key, value in inputs.items():
            if key in node.bl_rna.properties:          # a node setting such as ``operation``
                setattr(node, key, value)
            else:
                self.set(node, key, value)
        return node

    def set(self, node, key: str, value) -> None:
        socket = _socket(node.inputs, key)
        if _is_socket(value):
            self.tree.links.new(value, socket)
        else:
            socket.default_value = value

    def mix(self, a, b, factor, blend: str = "MIX"):
        node = self.tree.nodes.new("ShaderNodeMix")
        node.data_type, node.blend_type = "RGBA", blend
        self.set(node, "Factor", factor)
        for name, value in (("A", a), ("B", b)):
            socket = next(s for s in node.inputs if s.name == name and s.type == "RGBA")
            if _is_socket(value):
                self.tree.links.new(value, socket)
            else:
                socket.default_value = (*value, 1.0)
        return next(s for s in node.outputs if s.type == "RGBA")

    def output(self, shader) -> None:
        out = self.tree.nodes.new("ShaderNodeOutputMaterial")
        self.tree.links.new(shader, out.inputs["Surface"])


def _is_socket(value) -> bool:
    return hasattr(value, "is_output") and hasattr(value, "node")


def _socket(sockets, key: str):
    return next(s for s in sockets if s.name == key and s.enabled)


def _material(name: str, label: Label, look: Colour) -> tuple["bpy.types.Material", Nodes]:
    import bpy

    material = bpy.data.materials.new(name)
    material[LABEL_COLOUR] = (*label_colour(label), 1.0)
    material[LOOK_COLOUR] = (*look, 1.0)
    material.diffuse_color = material[LABEL_COLOUR]
    return material, Nodes(material)


def use_display_colours(which: str) -> None:
    """Set every material's viewport colour to its LABEL_COLOUR (mask pass) or LOOK_COLOUR (Workbench RGB)."""
    import bpy

    for material in bpy.data.materials:
        if which in material:
            material.diffuse_color = tuple(material[which])


def _variation(n: Nodes, scale: float, detail: float = 4.0):
    coords = n.add("ShaderNodeTexCoord").outputs["Object"]
    return n.add("ShaderNodeTexNoise", Vector=coords, Scale=scale, Detail=detail).outputs["Factor"]


def skin(name: str, look: LookConfig, label: Label, texture: Path | None = None) -> "bpy.types.Material":
    """Skin: the face texture (or the base tone), mottled, with a little subsurface scattering and pores."""
    material, n = _material(name, label, look.skin)
    if texture is not None:
        import bpy

        image = bpy.data.images.load(str(texture), check_existing=True)
        base = n.add("ShaderNodeTexImage").outputs["Color"]
        base.node.image = image
        base.node.interpolation = "Cubic"
    else:
        base = n.add("ShaderNodeRGB").outputs["Color"]
        base.node.outputs[0].default_value = (*look.skin, 1.0)
    blotch = n.add("ShaderNodeMapRange", Value=_variation(n, 45.0), **{"From Min": 0.3, "From Max": 0.7,
                                                                       "To Min": 0.9, "To Max": 1.06})
    mottled = n.mix(base, (1.0, 1.0, 1.0), 1.0, blend="MULTIPLY")
    n.tree.links.new(blotch.outputs["Result"], next(s for s in mottled.node.inputs if s.name == "B" and s.type == "RGBA"))
    pores = n.add("ShaderNodeBump", Strength=0.12, Distance=0.0004, Height=_variation(n, 900.0, 2.0))
    bsdf = n.add("ShaderNodeBsdfPrincipled", **{"Base Color": mottled, "Roughness": 0.48,
                                                "Subsurface Weight": 0.18, "Subsurface Scale": 0.004,
                                                "Specular IOR Level": 0.45, "Normal": pores.outputs["Normal"]})
    bsdf.inputs["Subsurface Radius"].default_value = (1.0, 0.35, 0.2)
    bsdf.subsurface_method = "BURLEY"
    n.output(bsdf.outputs["BSDF"])
    return material


def plain(name: str, colour: Colour, label: Label, roughness: float = 0.5, coat: float = 0.0,
          noise_scale: float = 0.0) -> "bpy.types.Material":
    """A principled surface of one colour, optionally mottled by noise."""
    material, n = _material(name, label, colour)
    base = colour
    if noise_scale:
        vary = n.add("ShaderNodeMapRange", Value=_variation(n, noise_scale), **{"To Min": 0.7, "To Max": 1.2})
        base = n.mix(colour, (1.0, 1.0, 1.0), 1.0, blend="MULTIPLY")
        n.tree.links.new(vary.outputs["Result"], next(s for s in base.node.inputs if s.name == "B" and s.type == "RGBA"))
    bsdf = n.add("ShaderNodeBsdfPrincipled", **{"Base Color": base if noise_scale else (*colour, 1.0),
                                                "Roughness": roughness, "Coat Weight": coat})
    n.output(bsdf.outputs["BSDF"])
    return material


def eyeball(name: str, look: LookConfig, radius: float) -> "bpy.types.Material":
    """Sclera, iris and pupil from the eyeball's local +z (the gaze), wet and glossy."""
    material, n = _material(name, Label.FACE, (0.8, 0.77, 0.74))
    coords = n.add("ShaderNodeTexCoord").outputs["Object"]
    axis = n.add("ShaderNodeSeparateXYZ", Vector=coords).outputs["Z"]
    cos_gaze = n.add("ShaderNodeMath", operation="DIVIDE", Value=axis)
    cos_gaze.inputs[1].default_value = radius
    ramp = n.add("ShaderNodeValToRGB", Factor=cos_gaze.outputs["Value"])
    stops = ramp.color_ramp.elements
    stops[0].position, stops[0].color = 0.80, (0.74, 0.6, 0.56, 1.0)       # sclera, a little pink at the edge
    stops[1].position, stops[1].color = 0.85, (0.86, 0.84, 0.8, 1.0)
    for position, colour in ((0.868, (0.05, 0.035, 0.025, 1.0)), (0.875, (*look.iris, 1.0)),
                             (0.955, tuple(min(1.0, 2.2 * c) for c in look.iris) + (1.0,)),
                             (0.968, (0.008, 0.006, 0.005, 1.0)), (1.0, (0.005, 0.004, 0.004, 1.0))):
        stop = stops.new(position)
        stop.color = colour
    bsdf = n.add("ShaderNodeBsdfPrincipled", **{"Base Color": ramp.outputs["Color"], "Roughness": 0.25,
                                                "Coat Weight": 1.0, "Coat Roughness": 0.02})
    n.output(bsdf.outputs["BSDF"])
    return material


def teeth(name: str, tooth_width: float) -> "bpy.types.Material":
    """Enamel with thin darker gaps every ``tooth_width`` metres along the arch (object x)."""
    material, n = _material(name, Label.FACE, (0.78, 0.74, 0.64))
    coords = n.add("ShaderNodeTexCoord").outputs["Object"]
    x = n.add("ShaderNodeSeparateXYZ", Vector=coords).outputs["X"]
    phase = n.add("ShaderNodeMath", operation="PINGPONG", Value=x)
    phase.inputs[1].default_value = tooth_width / 2
    ramp = n.add("ShaderNodeValToRGB", Factor=phase.outputs["Value"])
    ramp.color_ramp.elements[0].position, ramp.color_ramp.elements[0].color = 0.0, (0.25, 0.2, 0.16, 1.0)
    ramp.color_ramp.elements[1].position, ramp.color_ramp.elements[1].color = 0.0008, (0.78, 0.74, 0.64, 1.0)
    bsdf = n.add("ShaderNodeBsdfPrincipled", **{"Base Color": ramp.outputs["Color"], "Roughness": 0.3})
    n.output(bsdf.outputs["BSDF"])
    return material


def backdrop(name: str, look: LookConfig) -> "bpy.types.Material":
    """A self-lit, out-of-focus backdrop: a vertical gradient with soft large blotches (constant over time)."""
    material, n = _material(name, Label.BACKGROUND, look.backdrop_top)
    coords = n.add("ShaderNodeTexCoord").outputs["Generated"]
    y = n.add("ShaderNodeSeparateXYZ", Vector=coords).outputs["Y"]
    gradient = n.mix(look.backdrop_bottom, look.backdrop_top, y)
    blotch = n.add("ShaderNodeTexNoise", Vector=coords, Scale=2.5, Detail=1.0).outputs["Factor"]
    soft = n.add("ShaderNodeMapRange", Value=blotch, **{"From Min": 0.35, "From Max": 0.65, "To Min": 0.75,
                                                        "To Max": 1.3})
    lit = n.mix(gradient, (1.0, 1.0, 1.0), 1.0, blend="MULTIPLY")
    n.tree.links.new(soft.outputs["Result"], next(s for s in lit.node.inputs if s.name == "B" and s.type == "RGBA"))
    emit = n.add("ShaderNodeEmission", Color=lit, Strength=1.0)
    n.output(emit.outputs["Emission"])
    return material


def hair(name: str, look: LookConfig) -> "bpy.types.Material":
    """Short hair: colour streaks and bumps stretched front to back (object z), a soft sheen."""
    material, n = _material(name, Label.PERSON, look.hair)
    coords = n.add("ShaderNodeTexCoord").outputs["Object"]
    stretched = n.add("ShaderNodeMapping", Vector=coords, Scale=(420.0, 420.0, 25.0)).outputs["Vector"]
    strands = n.add("ShaderNodeTexNoise", Vector=stretched, Scale=1.0, Detail=6.0).outputs["Factor"]
    shade = n.add("ShaderNodeMapRange", Value=strands, **{"From Min": 0.3, "From Max": 0.7, "To Min": 0.55,
                                                          "To Max": 1.6})
    base = n.mix(look.hair, (1.0, 1.0, 1.0), 1.0, blend="MULTIPLY")
    n.tree.links.new(shade.outputs["Result"], next(s for s in base.node.inputs if s.name == "B" and s.type == "RGBA"))
    bump = n.add("ShaderNodeBump", Strength=0.6, Distance=0.001, Height=strands)
    bsdf = n.add("ShaderNodeBsdfPrincipled", **{"Base Color": base, "Roughness": 0.55, "Sheen Weight": 0.4,
                                                "Sheen Tint": (0.5, 0.4, 0.3, 1.0), "Normal": bump.outputs["Normal"]})
    n.output(bsdf.outputs["BSDF"])
    return material
