"""Render a performance of the synthetic subject: frames, label masks, a clean plate and exact landmarks.

:func:`render_sequence` runs in the caller's process without bpy. It writes the sequence
and one job file per worker under ``OUT/.work/``, starts the workers
(``python -m realtalk_core.synth.subject.worker``) on contiguous chunks of frames, relays
their JSON progress, and writes ``tracks.npz`` (landmarks_image: exact projections of
``rig.pose(weights)`` under the head pose and the render camera) and ``subject.json``
(the resolved config). Frames already rendered are kept (resume).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ...assets.canonical_mesh import load_canonical_mesh
from ...assets.store import FACE_LANDMARKER, require
from ...progress import Progress, iter_events
from ...rig.face_rig import FaceRig
from ...schema.fileio import atomic_write
from .camera import landmarks_image
from .job import RenderJob, SubjectRenderError, check_sequence, write_job
from .labels import Label
from .scene_config import SubjectSceneConfig
from .worker import frame_name


@dataclass(frozen=True)
class SubjectRenderConfig:
    """How the subject is rendered."""

    size: int = 256
    """Square image size in pixels (256 or 512)."""
    engine: str = "cycles"
    """RGB engine: cycles (best image per second here), eevee or workbench."""
    samples: int = 16
    """Samples per pixel; Cycles denoises them with OpenImageDenoise."""
    denoise: bool = True
    """Denoise Cycles renders."""
    fps: float = 25.0
    """Frame rate of the sequence (recorded in subject.json)."""
    scene: SubjectSceneConfig = field(default_factory=SubjectSceneConfig)
    """The subject, camera and studio."""


@dataclass(frozen=True)
class RenderResult:
    """What a render left in ``out_dir``."""

    out_dir: Path
    frames: list[Path]                 # frames/NNNNNN.png, RGB
    masks: list[Path]                  # masks/NNNNNN.png, labels 0 background, 1 person, 2 face
    background: Path                   # background.png, the clean plate
    landmarks_image: np.ndarray        # (T, 478, 3) float32: x, y in [0, 1] of the image, z on x's scale
    landmarks: np.ndarray              # (T, 478, 3) float32 head-space landmarks (rig.pose)


def rest_pose(head_pose: np.ndarray) -> np.ndarray:
    """The still pose the torso and lights are placed for: mean position, mean rotation (projected to SO(3))."""
    u, _, vt = np.linalg.svd(head_pose[:, :3, :3].mean(axis=0))
    rotation = u @ vt
    if np.linalg.det(rotation) < 0:
        rotation = u @ np.diag([1.0, 1.0, -1.0]) @ vt
    pose = np.eye(4)
    pose[:3, :3], pose[:3, 3] = rotation, head_pose[:, :3, 3].mean(axis=0)
    return pose


def render_sequence(blendshapes: np.ndarray, head_pose: np.ndarray, out_dir: str | os.PathLike[str],
                    config: SubjectRenderConfig | None = None, progress: Progress | None = None,
                    workers: int = 1, assets: str | os.PathLike[str] | None = None) -> RenderResult:
    """Render (T, 52) ARKit weights and (T, 4, 4) head poses into ``out_dir``; see the module docstring."""
    config = config or SubjectRenderConfig()
    blendshapes = np.asarray(blendshapes, np.float64)
    head_pose = np.asarray(head_pose, np.float64)
    check_sequence(blendshapes, head_pose)
    if config.size < 16:
        raise SubjectRenderError(f"size must be at least 16 pixels, got {config.size}")
    if workers < 1:
        raise SubjectRenderError(f"workers must be at least 1, got {workers}")
    out = Path(out_dir)
    work = out / ".work"
    work.mkdir(parents=True, exist_ok=True)
    task = require(FACE_LANDMARKER, assets)
    rig = FaceRig.build(load_canonical_mesh(task))
    landmarks = rig.pose(blendshapes)                                              # (T, 478, 3)
    image = landmarks_image(landmarks, head_pose, config.scene.camera, config.size)

    count = len(blendshapes)
    sequence = work / "sequence.npz"
    with atomic_write(sequence) as handle:
        np.savez(handle, blendshapes=blendshapes, head_pose=head_pose, rest_pose=rest_pose(head_pose))
    workers = min(workers, count)
    chunks = np.array_split(np.arange(count), workers)
    threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else 0
    jobs = [write_job(RenderJob(sequence=str(sequence), out_dir=str(out), frames=tuple(int(i) for i in chunk),
                                size=config.size, engine=config.engine, samples=config.samples,
                                denoise=config.denoise, threads=threads, background=k == 0,
                                assets=str(task), scene=config.scene), work / f"job_{k}.json")
            for k, chunk in enumerate(chunks)]
    _run_workers(jobs, work, count, progress)

    with atomic_write(out / "tracks.npz") as handle:
        np.savez(handle, landmarks_image=image, landmarks=landmarks.astype(np.float32),
                 blendshapes=blendshapes.astype(np.float32), head_pose=head_pose.astype(np.float32))
    manifest = {"format": "realtalk-synth-subject", "version": 1, "frames": count, "fps": config.fps,
                "size": config.size, "labels": {label.name.lower(): int(label) for label in Label},
                "landmarks_image": "x right, y down in [0, 1] of the image; z depth from the head origin on x's scale",
                "config": asdict(config)}
    with atomic_write(out / "subject.json", "w") as handle:
        json.dump(manifest, handle, indent=1)
    names = [frame_name(i) for i in range(count)]
    return RenderResult(out_dir=out, frames=[out / "frames" / n for n in names],
                        masks=[out / "masks" / n for n in names], background=out / "background.png",
                        landmarks_image=image, landmarks=landmarks.astype(np.float32))


def _run_workers(jobs: list[Path], work: Path, total: int, progress: Progress | None) -> None:
    """Start one worker per job, relay their progress, and raise the first worker's error."""
    done = [0] * len(jobs)
    errors: list[str] = []
    lock = threading.Lock()
    stage = progress.stage("render", total=total) if progress is not None else None

    def relay(k: int, proc: subprocess.Popen) -> None:
        for event in iter_events(iter(proc.stdout.readline, "")):
            with lock:
                if event.event == "progress" and event.data.get("stage") == "render":
                    step = int(event.data["done"]) - done[k]
                    done[k] = int(event.data["done"])
                    if stage is not None and step > 0:
                        stage.advance(step)
                elif event.event == "error":
                    errors.append(str(event.data["message"]))

    procs, relays, logs = [], [], []
    try:
        for k, job in enumerate(jobs):
            log = open(work / f"worker_{k}.log", "w")
            logs.append(log)
            proc = subprocess.Popen([sys.executable, "-m", "realtalk_core.synth.subject.worker", "--job", str(job)],
                                    stdout=subprocess.PIPE, stderr=log, text=True)
            procs.append(proc)
            relay_thread = threading.Thread(target=relay, args=(k, proc), daemon=True)
            relay_thread.start()
            relays.append(relay_thread)
        for proc, relay_thread in zip(procs, relays):
            proc.wait()
            relay_thread.join()
            proc.stdout.close()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stdout and not proc.stdout.closed:
                proc.stdout.close()
        for log in logs:
            log.close()
        if stage is not None:
            stage.close()
    failed = [(k, p.returncode) for k, p in enumerate(procs) if p.returncode != 0]
    if errors:
        raise SubjectRenderError(errors[0])
    if failed:
        k, code = failed[0]
        raise SubjectRenderError(f"render worker {k} exited with code {code}; see {work / f'worker_{k}.log'}")
