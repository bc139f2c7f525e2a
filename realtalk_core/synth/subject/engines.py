"""Render engine settings for the RGB pass (bpy): Cycles CPU with denoising, EEVEE, or Workbench."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import bpy

#: Engine names accepted by SubjectRenderConfig.engine -> Blender 5 engine ids.
ENGINES = {"cycles": "CYCLES", "eevee": "BLENDER_EEVEE", "workbench": "BLENDER_WORKBENCH"}


def configure_engine(scene: "bpy.types.Scene", engine: str, samples: int, denoise: bool, threads: int) -> None:
    """Set the RGB scene's engine; ``threads`` 0 lets Blender use every core."""
    render = scene.render
    render.engine = ENGINES[engine]
    render.threads_mode = "FIXED" if threads else "AUTO"
    if threads:
        render.threads = threads
    scene.view_settings.view_transform = "AgX"
    scene.view_settings.look = "AgX - Punchy"
    if engine == "cycles":
        cycles = scene.cycles
        cycles.device = "CPU"
        cycles.samples = samples
        cycles.use_adaptive_sampling = True
        cycles.adaptive_threshold = 0.05
        cycles.use_denoising = denoise
        if denoise:
            cycles.denoiser = "OPENIMAGEDENOISE"
            cycles.denoising_input_passes = "RGB_ALBEDO_NORMAL"
            cycles.denoising_prefilter = "FAST"
        cycles.max_bounces, cycles.diffuse_bounces, cycles.glossy_bounces = 4, 2, 2
        cycles.transmission_bounces, cycles.transparent_max_bounces = 2, 2
        cycles.caustics_reflective = cycles.caustics_refractive = False
        cycles.seed = 0
        render.filter_size = 1.2
    elif engine == "eevee":
        scene.eevee.taa_render_samples = samples
    else:
        shading = scene.display.shading
        shading.light, shading.color_type = "STUDIO", "TEXTURE"
        shading.show_cavity = True
        scene.display.render_aa = "8"
