"""Pictures for docs/blender.md, made by the real add-on in the real bpy module.

    .venv/bin/python benchmarks/figure_blender.py [--out docs] [--size 256]

It builds and installs the extension zip, generates a performance from espeak-ng speech with emotion
curves keyed neutral -> happy -> surprise, edits a key, presses Render, then writes:

* ``blender_proxy_head.png``: Blender's own render (EEVEE) of the proxy head and its landmark points
  at three moments of the emotion curve;
* ``blender_vse.png``: the Sequencer after Render: the strip layout (drawn from the scene's real strips)
  beside the Sequencer's output frame.

It also times the add-on's buttons and writes them to docs/RESULTS.md (section ``blender``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "blender_addon"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402
TEXT = "Good morning! I have wonderful news for you today. Really? I can hardly believe it."
CURVE = ((1, "neutral"), (40, "happy"), (95, "surprise"))


def _performance(addon, work: Path, size: int):
    import bpy

    bpy.ops.wm.read_homefile(use_empty=True)
    scene = bpy.context.scene
    scene.render.fps = 25
    wav = work / "speech.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), TEXT], check=True, capture_output=True)
    editor = scene.sequence_editor_create()
    editor.active_strip = editor.strips.new_sound("speech", str(wav), 1, 1)
    settings = scene.realtalk
    settings.work_dir = str(work / "realtalk") + "/"
    settings.emotion_mode = 'CURVES'
    for frame, name in CURVE:
        for emotion in ("neutral", "happy", "surprise"):
            setattr(settings.emotion, emotion, 1.0 if emotion == name else 0.0)
            scene.keyframe_insert(f"realtalk.emotion.{emotion}", frame=frame)
    assert bpy.ops.realtalk.generate() == {'FINISHED'}
    settings.render_size = size
    return scene


def render_head(scene, frames: list[int], work: Path, addon) -> Image.Image:
    import bpy

    scene.camera = bpy.data.objects["RealTalk Camera"]
    scene.render.engine = addon.compat.eevee_engine()
    scene.render.resolution_x = scene.render.resolution_y = 360
    scene.render.use_sequencer = False
    world = bpy.data.worlds.new("RealTalk World")
    world.color = (0.06, 0.06, 0.07)
    scene.world = world
    light = bpy.data.objects.new("Key", bpy.data.lights.new("Key", 'AREA'))
    light.data.energy, light.data.size = 20.0, 0.6
    light.location, light.rotation_euler = (0.4, -0.4, 0.5), (np.radians(55), 0, np.radians(40))
    scene.collection.objects.link(light)
    tiles = []
    for frame in frames:
        scene.frame_set(frame)
        scene.render.filepath = str(work / f"head_{frame:04d}.png")
        bpy.ops.render.render(write_still=True)
        tile = Image.open(scene.render.filepath).convert("RGB")
        ImageDraw.Draw(tile).text((8, 8), _label(scene, frame), fill=(235, 235, 235))
        tiles.append(tile)
    sheet = Image.new("RGB", (sum(t.width for t in tiles), tiles[0].height))
    for i, tile in enumerate(tiles):
        sheet.paste(tile, (i * tile.width, 0))
    return sheet


def _label(scene, frame: int) -> str:
    emotion = scene.realtalk.emotion
    top = max(("neutral", "happy", "surprise"), key=lambda name: getattr(emotion, name))
    return f"frame {frame}: {top}"


def vse_picture(scene, size: int) -> Image.Image:
    """The strip layout, drawn from the scene's strips, beside the Sequencer's output at the middle frame."""
    import bpy

    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    strips = sorted(scene.sequence_editor.strips, key=lambda s: s.channel)
    figure = Figure(figsize=(6.4, 2.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    colours = {'SOUND': "#3aa57a", 'IMAGE': "#9466c2", 'COLOR': "#c9a227"}
    for strip in strips:
        axes.barh(strip.channel, strip.frame_final_end - strip.frame_final_start, left=strip.frame_final_start,
                  height=0.8, color=colours.get(strip.type, "#888"), edgecolor="black")
        axes.text(strip.frame_final_start + 2, strip.channel, f"{strip.name} ({strip.type.lower()})",
                  va="center", fontsize=8, color="white")
    axes.set_yticks(sorted({s.channel for s in strips}))
    axes.set_ylabel("channel")
    axes.set_xlabel("scene frame")
    axes.set_xlim(0, max(s.frame_final_end for s in strips) + 10)
    axes.set_title("Sequencer after Render: frames and speech start together", fontsize=9)
    figure.tight_layout()
    figure.canvas.draw()
    layout = Image.fromarray(np.asarray(figure.canvas.buffer_rgba())[..., :3])
    render = next(s for s in strips if s.type == 'IMAGE')
    middle = (render.frame_final_start + render.frame_final_end) // 2
    scene.render.use_sequencer = True
    scene.render.resolution_x = scene.render.resolution_y = size
    scene.frame_set(middle)
    path = Path(tempfile.mkdtemp()) / "vse.png"
    scene.render.filepath = str(path)
    bpy.ops.render.render(write_still=True)
    output = Image.open(path).convert("RGB").resize((layout.height, layout.height))
    ImageDraw.Draw(output).text((6, 6), f"Sequencer output, frame {middle}", fill=(255, 255, 255))
    sheet = Image.new("RGB", (layout.width + output.width, layout.height), "white")
    sheet.paste(layout, (0, 0))
    sheet.paste(output, (layout.width, 0))
    return sheet


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--size", type=int, default=256, help="realtalk-render frame size")
    args = parser.parse_args(argv)
    import bpy  # noqa: F401  (the bpy module: Blender as a Python package)
    import build

    work = Path(tempfile.mkdtemp(prefix="rt-blender-"))
    addon = build.install(build.build(work / "dist", Path(sys.executable).parent), work / "extensions")
    started = time.monotonic()
    scene = _performance(addon, work, args.size)
    generate_s = time.monotonic() - started
    from realtalk_core.schema import read_header

    frames = read_header(scene.realtalk.take_dir)["frame_count"]
    seconds = frames / scene.render.fps
    print(f"generate: {generate_s:.1f} s, {scene.realtalk.last_message}")
    shown = [frame for frame, _ in CURVE[1:]] + [CURVE[-1][0] + 20]
    started = time.monotonic()
    head = render_head(scene, shown, work, addon)
    eevee_s = (time.monotonic() - started) / len(shown)
    head.save(args.out / "blender_proxy_head.png", optimize=True)
    started = time.monotonic()
    assert bpy.ops.realtalk.render() == {'FINISHED'}
    render_s = time.monotonic() - started
    print(f"render: {render_s:.1f} s, {scene.realtalk.last_message}")
    vse_picture(scene, args.size).save(args.out / "blender_vse.png", optimize=True)
    print(f"wrote {args.out / 'blender_proxy_head.png'} and {args.out / 'blender_vse.png'}")
    write_section("blender", f"""## Blender add-on (`benchmarks/figure_blender.py`)

{machine()}; bpy {bpy.app.version_string}. One espeak-ng clip of {seconds:.1f} s ({frames} frames at 25 fps),
emotion curves neutral -> happy -> surprise, the demo subject. Times are the add-on's buttons run
synchronously (the subprocesses included, model loading included).

| step | wall time |
|---|---|
| Generate (realtalk generate + keying 52 shape keys, pose and emotion) | {generate_s:.1f} s |
| Render (Export Take + realtalk-render at {args.size} px + strips) | {render_s:.1f} s ({render_s / frames * 1000:.0f} ms a frame) |
| Blender's own EEVEE still of the proxy head, 360 px (first includes shader compilation) | {eevee_s:.1f} s a frame |
""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
