"""One render job: a Take -> frames (and optionally a video). Used by the CLI, batch files and `realtalk demo`."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from realtalk_core.progress import Progress
from realtalk_core.schema import Take, check_audio, load_take
from realtalk_core.schema.fileio import sha256_file
from realtalk_core.schema.take import TAKE_JSON, TRACKS_NPZ

from .errors import RenderError
from .frames import ensure_writable, parse_frames
from .ledger import Ledger, parse_shard, shard_frames
from .manifest import RECORD_NAME, refresh_manifest, write_manifest
from .proxy import MAX_SIZE, MIN_SIZE
from .sources import FrameSource, build_source
from .video import encode_video, ffmpeg_exe
from .writer import FrameWriter

MAX_WORKERS = 64


@dataclass(frozen=True)
class RenderJob:
    """What to render and where (every ``realtalk-render`` option; batch files set the same names)."""

    take: Path                     #: the Take folder
    out: Path                      #: output folder; frames go to out/frames/
    size: int = 512                #: rendered crop width and height in pixels
    frames: str | None = None      #: "A-B" in the Take's frame numbers, or None for all
    video: Path | None = None      #: also encode an mp4 with the Take's audio
    crf: int = 18                  #: H.264 quality of the video
    background: str | None = None  #: plate | color:#RRGGBB | transparent | an image file; default plate (proxy: grey)
    assets: Path | None = None     #: face_landmarker.task file or folder (proxy renderer only)
    subject: str | None = None     #: demo | a subject folder | proxy; default: the Take's subject, else demo
    device: str = "cpu"            #: where a subject renders: cpu or cuda
    shard: str | None = None       #: "I/N": render every N-th frame from the I-th (0 <= I < N)
    resume: bool = True            #: skip frames already finished (their PNG hashes as recorded)
    force: bool = False            #: render over frames of a different Take, subject or setting
    paste_back: bool = False       #: composite into the subject's original full frame
    workers: int = 1               #: local processes, each rendering a sub-shard
    dry_run: bool = False          #: print the plan and an estimate, render nothing

    def check(self) -> None:
        if not MIN_SIZE <= self.size <= MAX_SIZE:
            raise RenderError(f"--size {self.size}: must be between {MIN_SIZE} and {MAX_SIZE} pixels")
        if not 0 <= self.crf <= 51:
            raise RenderError(f"--crf {self.crf}: must be between 0 and 51")
        if not 1 <= self.workers <= MAX_WORKERS:
            raise RenderError(f"--workers {self.workers}: must be between 1 and {MAX_WORKERS}")
        parse_shard(self.shard)
        if self.video is not None:
            if self.size % 2 and not self.paste_back:
                raise RenderError(f"--size {self.size}: H.264 video needs an even size; use {self.size + 1}")
            if self.video.is_dir():
                raise RenderError(f"--video {self.video}: is a folder; name the mp4 file, e.g. "
                                  f"{self.video / 'take.mp4'}")
            if self.background == "transparent":
                raise RenderError("--background transparent with --video: an H.264 mp4 has no alpha; render the "
                                  "transparent frames without --video, or pick plate or color:#RRGGBB for the video")


def render_take(job: RenderJob, progress: Progress) -> dict[str, Any]:
    """Render ``job``; return its outputs by name. Raises RenderError / TakeError / AssetError (one line)."""
    job.check()
    take, frames = _prepare(job, progress)
    if job.workers > 1 and not job.dry_run:
        return _render_with_workers(job, take, frames, progress)
    source = build_source(job, take)
    identity = {**source.identity, "take_sha256": take_hash(job.take)}
    if job.dry_run:
        from .plan import make_plan

        return make_plan(job, take, frames, source, identity)
    frames_dir = ensure_writable(job.out / "frames")
    config = _config(job, frames, source)
    write_manifest(job.out, config, identity, len(frames))
    try:
        numbers = _render_frames(job, frames, frames_dir, identity, source, progress)
    except KeyboardInterrupt:
        raise RenderInterrupted(job.out / RECORD_NAME) from None
    finally:
        write_manifest(job.out, config, identity, len(frames))
    return _finish(job, take, frames_dir, frames, numbers, progress)


def _render_with_workers(job: RenderJob, take: Take, frames: range, progress: Progress) -> dict[str, Any]:
    from .workers import run_workers

    frames_dir = ensure_writable(job.out / "frames")
    try:
        run_workers(job, frames, progress)
    except KeyboardInterrupt:
        if (job.out / RECORD_NAME).is_file():
            refresh_manifest(job.out, shard=job.shard or "0/1", workers=job.workers)
        raise RenderInterrupted(job.out / RECORD_NAME) from None
    return _finish(job, take, frames_dir, frames, shard_frames(frames, parse_shard(job.shard)), progress)


class RenderInterrupted(RenderError):
    """Ctrl-C: the frames written so far are kept and recorded; running the command again resumes."""

    exit_code = 130

    def __init__(self, manifest: Path) -> None:
        super().__init__(f"interrupted; the finished frames are kept and recorded in {manifest}: run the same "
                         "command again to resume")


def take_hash(folder: Path) -> str:
    """One sha256 over the Take's take.json and tracks.npz (what its frames depend on)."""
    digest = hashlib.sha256()
    for name in (TAKE_JSON, TRACKS_NPZ):
        digest.update(sha256_file(folder / name).encode())
    return digest.hexdigest()


def _render_frames(job: RenderJob, frames: range, frames_dir: Path, identity: dict, source: FrameSource,
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
        writer = FrameWriter(frames_dir, ledger, on_written=stage.advance)
        try:
            for start in range(0, len(todo), source.batch):
                chunk = todo[start:start + source.batch]
                began = time.perf_counter()
                images = source.render(chunk)
                seconds = (time.perf_counter() - began) / len(chunk)
                for number, image in zip(chunk, images, strict=True):
                    writer.put(number, image, seconds)
        finally:
            writer.close()            # frames rendered before a Ctrl-C or an error are still written
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
                              f"are done, run `realtalk-render encode {job.out} --video {job.video}`")
        ffmpeg_exe()                       # fail before rendering, not after
        ensure_writable(job.video.parent, "--video")
        if take.audio is None:
            progress.warning(f"{job.take}: the take has no audio; the video will be silent")
    return take, frames


def _config(job: RenderJob, frames: range, source: FrameSource) -> dict[str, Any]:
    """The resolved settings recorded in render.json."""
    return {**source.settings, "take": str(job.take.resolve()), "frames": {"first": frames.start,
            "last": frames.stop - 1}, "shard": job.shard or "0/1", "crf": job.crf,
            "video": str(job.video.resolve()) if job.video is not None else None}


def _finish(job: RenderJob, take: Take, frames_dir: Path, frames: range, numbers: list[int],
            progress: Progress) -> dict[str, Any]:
    """The outputs of a finished render; encodes the video when one was asked for."""
    outputs: dict[str, Any] = {"frames": str(frames_dir), "config": str(job.out / RECORD_NAME),
                               "rendered": str(len(numbers)), "first_frame": str(frames.start),
                               "last_frame": str(frames.stop - 1)}
    if job.video is not None:
        with progress.stage("encode", total=len(frames)) as stage:
            outputs["video"] = str(encode_video(take, job.take, frames_dir, frames, job.video, job.crf,
                                                on_frame=stage.advance))
    return outputs
