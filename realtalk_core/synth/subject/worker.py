"""Render worker: ``python -m realtalk_core.synth.subject.worker --job JOB.json``.

Builds the subject in this process's own bpy and renders the job's frames, each written
atomically (a temporary file, then ``os.replace``): ``masks/NNNNNN.png`` first, then
``frames/NNNNNN.png``. A frame whose two files both exist is skipped, so a killed run
resumes. Progress goes to stdout as JSON lines (``realtalk_core.progress``); Blender's
own chatter is sent to stderr so it cannot mix with them. Exit code 2 on a user error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

import numpy as np

from ...progress import Progress
from ...schema.errors import RealtalkError
from .job import RenderJob, load_job, load_sequence
from .labels import decode_labels

FRAME_DIGITS = 6


def frame_name(index: int) -> str:
    return f"{index:0{FRAME_DIGITS}d}.png"


def is_done(out_dir: Path, index: int) -> bool:
    """Both the frame and its mask were written."""
    name = frame_name(index)
    return (out_dir / "frames" / name).is_file() and (out_dir / "masks" / name).is_file()


def run(job: RenderJob, progress: Progress) -> int:
    """Render the job's unfinished frames; returns how many were rendered."""
    weights, poses, rest = load_sequence(job)
    out = Path(job.out_dir)
    for sub in ("frames", "masks"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    todo = [i for i in job.frames if not is_done(out, i)]
    need_plate = job.background and not (out / "background.png").is_file()
    stage = progress.stage("render", total=len(job.frames))
    stage.advance(len(job.frames) - len(todo))
    if not todo and not need_plate:
        stage.close()
        return 0
    import bpy
    from PIL import Image

    from ...assets.canonical_mesh import load_canonical_mesh
    from ...assets.store import FACE_LANDMARKER, require
    from ...rig.face_rig import FaceRig
    from .engines import configure_engine
    from .materials import LABEL_COLOUR, LOOK_COLOUR, use_display_colours
    from .scene import build_scene

    mesh = load_canonical_mesh(require(FACE_LANDMARKER, job.assets))
    rig = FaceRig.build(mesh)
    with tempfile.TemporaryDirectory(prefix="subject-") as tmp:
        work = Path(tmp)
        subject = build_scene(rig, mesh.uv, rest, job.size, work, job.scene)
        configure_engine(subject.scene, job.engine, job.samples, job.denoise, job.threads)

        flat_rgb = job.engine == "workbench"      # Workbench RGB shows viewport colours: swap them per pass

        def render(scene, target: Path) -> None:
            if flat_rgb:
                use_display_colours(LABEL_COLOUR if scene == subject.masks else LOOK_COLOUR)
            scene.render.filepath = str(target)
            bpy.ops.render.render(write_still=True, scene=scene.name)

        if need_plate:
            subject.show_person(False)
            render(subject.scene, work / "plate.png")
            os.replace(work / "plate.png", out / "background.png")
            subject.show_person(True)
        for index in todo:
            subject.pose(weights[index], poses[index])
            render(subject.masks, work / "mask.png")
            with Image.open(work / "mask.png") as flat:
                labels = decode_labels(np.asarray(flat.convert("RGB")))
            Image.fromarray(labels).save(work / "labels.png")
            render(subject.scene, work / "frame.png")
            os.replace(work / "labels.png", out / "masks" / frame_name(index))
            os.replace(work / "frame.png", out / "frames" / frame_name(index))
            stage.advance()
    stage.close()
    return len(todo)


def _json_stdout() -> TextIO:
    """A handle on the real stdout for JSON lines; file descriptor 1 then points at stderr (Blender's chatter)."""
    sys.stdout.flush()
    handle = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    return handle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m realtalk_core.synth.subject.worker",
                                     description="Render frames of the synthetic subject (one job file).")
    parser.add_argument("--job", required=True, help="the JSON job file written by render_sequence")
    args = parser.parse_args(argv)
    out = _json_stdout()
    progress = Progress("json", command="synth subject worker", out=out)
    try:
        job = load_job(args.job)
        progress.start()
        rendered = run(job, progress)
        progress.done({"rendered": str(rendered)})
    except RealtalkError as err:
        progress.error(str(err))
        sys.stderr.write(f"error: {err}\n")
        return err.exit_code
    finally:
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

