"""One render job: a Take -> frames (and optionally a video). Used by the CLI and by `realtalk demo`."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from realtalk_core import __version__
from realtalk_core.assets.canonical_mesh import load_canonical_mesh
from realtalk_core.assets.store import FACE_LANDMARKER, require
from realtalk_core.progress import Progress
from realtalk_core.schema import Take, atomic_write, check_audio, load_take

from .colors import parse_background
from .errors import RenderError
from .frames import ensure_writable, parse_frames, write_frame
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
    if job.subject is not None:
        return _render_with_subject(job, progress)
    background = parse_background(job.background or DEFAULT_PROXY_BACKGROUND)
    take, frames = _prepare(job, progress)
    mesh = load_canonical_mesh(require(FACE_LANDMARKER, job.assets))
    frames_dir = ensure_writable(job.out / "frames")

    config = replace(ProxyRenderConfig(), size=job.size, background=background)
    record = write_record(job, config, frames)
    renderer = ProxyRenderer(mesh, config)
    tracks = take.tracks
    with progress.stage("render", total=len(frames)) as stage:
        for number in frames:
            index = number - take.frame_start
            write_frame(frames_dir, number, renderer.render(tracks.landmarks[index], tracks.head_pose[index]))
            stage.advance()
    return _finish(job, take, frames_dir, frames, record, progress)


def _prepare(job: RenderJob, progress: Progress) -> tuple[Take, range]:
    """Load the Take and check everything that could fail after rendering (audio, ffmpeg, --video folder)."""
    take = load_take(job.take, verify_audio=False)
    if job.video is not None and take.audio is not None:
        check_audio(job.take, take.audio)  # before rendering, so a missing audio file fails fast
    frames = parse_frames(job.frames, take)
    if job.video is not None:
        ffmpeg_exe()                       # fail before rendering, not after
        ensure_writable(job.video.parent, "--video")
        if take.audio is None:
            progress.warning(f"{job.take}: the take has no audio; the video will be silent")
    return take, frames


def _finish(job: RenderJob, take: Take, frames_dir: Path, frames: range, record: Path,
            progress: Progress) -> dict[str, str]:
    """The outputs of a finished render; encodes the video when one was asked for."""
    outputs = {"frames": str(frames_dir), "config": str(record),
               "first_frame": str(frames.start), "last_frame": str(frames.stop - 1)}
    if job.video is not None:
        with progress.stage("encode", total=len(frames)) as stage:
            outputs["video"] = str(encode_video(take, job.take, frames_dir, frames, job.video, job.crf,
                                                on_frame=stage.advance))
    return outputs


def write_record(job: RenderJob, config: ProxyRenderConfig, frames: range) -> Path:
    """Write the resolved settings of this render to ``out/render.json`` (atomically); return its path."""
    record = {"tool": "realtalk-render", "version": __version__, "renderer": "proxy",
              "take": str(job.take.resolve()), "frames": {"first": frames.start, "last": frames.stop - 1},
              "video": str(job.video.resolve()) if job.video is not None else None, "crf": job.crf,
              "proxy": config.to_json()}
    path = job.out / RECORD_NAME
    with atomic_write(path, "w") as handle:
        handle.write(json.dumps(record, indent=2) + "\n")
    return path


def _render_with_subject(job: RenderJob, progress: Progress) -> dict[str, str]:
    from realtalk_core.schema.fileio import sha256_file

    from .subject_render import PLATE, load_subject, render_subject_frames, subject_background

    take, frames = _prepare(job, progress)
    subject = load_subject(job.subject, job.device)
    background = subject_background(job.background or PLATE, subject, job.size)
    frames_dir = ensure_writable(job.out / "frames")
    record = {"tool": "realtalk-render", "version": __version__, "renderer": "subject",
              "take": str(job.take.resolve()), "take_sha256": sha256_file(job.take / "tracks.npz"),
              "subject": str(subject.root), "subject_sha256": subject.sha256,
              "frames": {"first": frames.start, "last": frames.stop - 1}, "size": job.size,
              "background": job.background or PLATE, "device": job.device,
              "video": str(job.video.resolve()) if job.video is not None else None, "crf": job.crf}
    path = job.out / RECORD_NAME
    with atomic_write(path, "w") as handle:
        handle.write(json.dumps(record, indent=2) + "\n")
    render_subject_frames(subject, take, frames, frames_dir, job.size, background, progress)
    return _finish(job, take, frames_dir, frames, path, progress)
