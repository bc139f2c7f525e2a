"""One render job: a Take -> frames (and optionally a video). Used by the CLI and by `realtalk demo`."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from realtalk_core import __version__
from realtalk_core.assets.canonical_mesh import load_canonical_mesh
from realtalk_core.assets.store import FACE_LANDMARKER, require
from realtalk_core.progress import Progress
from realtalk_core.schema import Take, atomic_write, check_audio, load_take
from realtalk_core.schema.fileio import sha256_file
from realtalk_core.schema.take import TAKE_JSON, TRACKS_NPZ

from .colors import parse_background
from .errors import RenderError
from .frames import ensure_writable, parse_frames, write_frame
from .ledger import STATUS_DIR, Ledger, parse_shard, shard_frames
from .proxy import MAX_SIZE, MIN_SIZE, ProxyRenderConfig, ProxyRenderer
from .video import encode_video, ffmpeg_exe

#: The resolved settings of a render, written beside its frames.
RECORD_NAME = "render.json"
DEFAULT_PROXY_BACKGROUND = "color:#22252b"


@dataclass(frozen=True)
class RenderJob:
    """What to render and where."""

    take: Path                     #: the Take folder
    out: Path                      #: output folder; frames go to out/frames/
    size: int = 512                #: frame width and height in pixels
    frames: str | None = None      #: "A-B" in the Take's frame numbers, or None for all
    video: Path | None = None      #: also encode an mp4 with the Take's audio
    crf: int = 18                  #: H.264 quality of the video
    background: str | None = None  #: color:#RRGGBB, or (with a subject) plate; default: plate / the proxy's grey
    assets: Path | None = None     #: face_landmarker.task file or folder (default: the cache)
    subject: str | None = None     #: render with this trained subject (demo or a folder) instead of the proxy mesh
    device: str = "cpu"            #: where a subject renders: cpu or cuda
    shard: str | None = None       #: "I/N": render every N-th frame from the I-th (0 <= I < N)
    resume: bool = True            #: skip frames already finished (their PNG hashes as recorded)
    force: bool = False            #: render over frames of a different Take, subject or setting

    def check(self) -> None:
        if not MIN_SIZE <= self.size <= MAX_SIZE:
            raise RenderError(f"--size {self.size}: must be between {MIN_SIZE} and {MAX_SIZE} pixels")
        if not 0 <= self.crf <= 51:
            raise RenderError(f"--crf {self.crf}: must be between 0 and 51")
        if self.video is not None and self.size % 2:
            raise RenderError(f"--size {self.size}: H.264 video needs an even size; use {self.size + 1}")
        if self.video is not None and self.video.is_dir():
            raise RenderError(f"--video {self.video}: is a folder; name the mp4 file, e.g. {self.video / 'take.mp4'}")


def render_take(job: RenderJob, progress: Progress) -> dict[str, str]:
    """Render ``job``; return its outputs by name. Raises RenderError / TakeError / AssetError (one line)."""
    job.check()
    take, frames = _prepare(job, progress)
    frames_dir = ensure_writable(job.out / "frames")
    if job.subject is not None:
        from .subject_render import PLATE, load_subject, subject_batches, subject_background

        subject = load_subject(job.subject, job.device)
        background_text = job.background or PLATE
        background = subject_background(background_text, subject, job.size)
        identity = {"renderer": "subject", "subject_sha256": subject.sha256}
        render_batch, batch = subject_batches(subject, take, job.size, background), 4
        settings = {"subject": str(subject.root), "device": job.device}
    else:
        background_text = job.background or DEFAULT_PROXY_BACKGROUND
        config = replace(ProxyRenderConfig(), size=job.size, background=parse_background(background_text))
        renderer = ProxyRenderer(load_canonical_mesh(require(FACE_LANDMARKER, job.assets)), config)
        tracks = take.tracks

        def render_batch(numbers: list[int]) -> list[np.ndarray]:
            return [renderer.render(tracks.landmarks[n - take.frame_start], tracks.head_pose[n - take.frame_start])
                    for n in numbers]

        identity, batch, settings = {"renderer": "proxy"}, 1, {"proxy": config.to_json()}
    identity.update(take_sha256=take_hash(job.take), size=job.size, background=background_text)
    record = write_record(job, frames, identity, settings)
    numbers = _render_frames(job, frames, frames_dir, identity, render_batch, batch, progress)
    return _finish(job, take, frames_dir, frames, numbers, record, progress)


def take_hash(folder: Path) -> str:
    """One sha256 over the Take's take.json and tracks.npz (what its frames depend on)."""
    digest = hashlib.sha256()
    for name in (TAKE_JSON, TRACKS_NPZ):
        digest.update(sha256_file(folder / name).encode())
    return digest.hexdigest()


def _render_frames(job: RenderJob, frames: range, frames_dir: Path, identity: dict, render_batch, batch: int,
                   progress: Progress) -> list[int]:
    """Render this shard's unfinished frames, recording each in the ledger; returns the shard's frame numbers."""
    shard = parse_shard(job.shard)
    ledger = Ledger.open(job.out, identity, shard, job.resume, job.force)
    numbers = shard_frames(frames, shard)
    todo = [n for n in numbers if not ledger.finished(frames_dir, n)]
    with progress.stage("render", total=len(numbers)) as stage:
        if len(todo) < len(numbers):
            stage.describe(f"{len(numbers) - len(todo)} frames already done")
            stage.advance(len(numbers) - len(todo))
        for start in range(0, len(todo), batch):
            chunk = todo[start:start + batch]
            began = time.perf_counter()
            images = render_batch(chunk)
            seconds = (time.perf_counter() - began) / len(chunk)
            for number, image in zip(chunk, images):
                write_frame(frames_dir, number, image)
                ledger.record(frames_dir, number, seconds)
                stage.advance()
    return numbers


def _prepare(job: RenderJob, progress: Progress) -> tuple[Take, range]:
    """Load the Take and check everything that could fail after rendering (audio, ffmpeg, --video folder)."""
    take = load_take(job.take, verify_audio=False)
    if job.video is not None and take.audio is not None:
        check_audio(job.take, take.audio)  # before rendering, so a missing audio file fails fast
    frames = parse_frames(job.frames, take)
    if job.video is not None:
        if parse_shard(job.shard)[1] > 1:
            raise RenderError("--video with --shard: each shard renders only part of the frames; when all shards "
                              "are done, run the same command without --shard and with --video (it only encodes)")
        ffmpeg_exe()                       # fail before rendering, not after
        ensure_writable(job.video.parent, "--video")
        if take.audio is None:
            progress.warning(f"{job.take}: the take has no audio; the video will be silent")
    return take, frames


def _finish(job: RenderJob, take: Take, frames_dir: Path, frames: range, numbers: list[int], record: Path,
            progress: Progress) -> dict[str, str]:
    """The outputs of a finished render; encodes the video when one was asked for."""
    outputs = {"frames": str(frames_dir), "config": str(record), "rendered": str(len(numbers)),
               "first_frame": str(frames.start), "last_frame": str(frames.stop - 1)}
    if job.video is not None:
        with progress.stage("encode", total=len(frames)) as stage:
            outputs["video"] = str(encode_video(take, job.take, frames_dir, frames, job.video, job.crf,
                                                on_frame=stage.advance))
    return outputs


def write_record(job: RenderJob, frames: range, identity: dict, settings: dict) -> Path:
    """Write the resolved settings of this render to ``out/render.json`` (atomically); return its path.

    Frame status and timings are per shard, in ``out/status/`` (see :mod:`ledger`).
    """
    record = {"tool": "realtalk-render", "version": __version__, **identity, **settings,
              "take": str(job.take.resolve()), "frames": {"first": frames.start, "last": frames.stop - 1},
              "shard": job.shard or "0/1", "video": str(job.video.resolve()) if job.video is not None else None,
              "crf": job.crf, "status": STATUS_DIR}
    path = job.out / RECORD_NAME
    with atomic_write(path, "w") as handle:
        handle.write(json.dumps(record, indent=2) + "\n")
    return path
