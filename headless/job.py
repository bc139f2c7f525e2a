"""One render job: a Take -> frames (and optionally a video). Used by the CLI and by `realtalk demo`."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from realtalk_core import __version__
from realtalk_core.assets.canonical_mesh import load_canonical_mesh
from realtalk_core.assets.store import FACE_LANDMARKER, require
from realtalk_core.progress import Progress
from realtalk_core.schema import atomic_write, check_audio, load_take

from .colors import parse_background
from .errors import RenderError
from .frames import ensure_writable, frame_path, parse_frames, write_png
from .proxy import MAX_SIZE, MIN_SIZE, ProxyRenderConfig, ProxyRenderer
from .video import encode_video, ffmpeg_exe

#: The resolved settings of a render, written beside its frames.
RECORD_NAME = "render.json"


@dataclass(frozen=True)
class RenderJob:
    """What to render and where."""

    take: Path                     #: the Take folder
    out: Path                      #: output folder; frames go to out/frames/
    size: int = 512                #: frame width and height in pixels
    frames: str | None = None      #: "A-B" in the Take's frame numbers, or None for all
    video: Path | None = None      #: also encode an mp4 with the Take's audio
    crf: int = 18                  #: H.264 quality of the video
    background: str = "color:#22252b"
    assets: Path | None = None     #: face_landmarker.task file or folder (default: the cache)

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
    background = parse_background(job.background)
    take = load_take(job.take, verify_audio=False)
    if job.video is not None and take.audio is not None:
        check_audio(job.take, take.audio)  # before rendering, so a missing audio file fails fast
    frames = parse_frames(job.frames, take)
    mesh = load_canonical_mesh(require(FACE_LANDMARKER, job.assets))
    if job.video is not None:
        ffmpeg_exe()                       # fail before rendering, not after
        ensure_writable(job.video.parent, "--video")
        if take.audio is None:
            progress.warning(f"{job.take}: the take has no audio; the video will be silent")
    frames_dir = ensure_writable(job.out / "frames")

    config = replace(ProxyRenderConfig(), size=job.size, background=background)
    record = write_record(job, config, frames)
    renderer = ProxyRenderer(mesh, config)
    tracks = take.tracks
    with progress.stage("render", total=len(frames)) as stage:
        for number in frames:
            index = number - take.frame_start
            image = renderer.render(tracks.landmarks[index], tracks.head_pose[index])
            try:
                write_png(frame_path(frames_dir, number), image)
            except OSError as err:
                raise RenderError(f"{frames_dir}: cannot write frame {number} ({err.strerror}); "
                                  "check free space") from None
            stage.advance()
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
