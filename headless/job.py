"""One render job: a Take -> frames (and optionally a video). Used by the CLI and by `realtalk demo`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from realtalk_core.assets.canonical_mesh import load_canonical_mesh
from realtalk_core.assets.store import FACE_LANDMARKER, require
from realtalk_core.progress import Progress
from realtalk_core.schema import check_audio, load_take

from .colors import parse_background
from .errors import RenderError
from .frames import ensure_writable, frame_path, parse_frames, write_png
from .proxy import MAX_SIZE, MIN_SIZE, ProxyRenderConfig, ProxyRenderer
from .video import encode_video


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


def render_take(job: RenderJob, progress: Progress) -> dict[str, str]:
    """Render ``job``; return its outputs by name. Raises RenderError / TakeError / AssetError (one line)."""
    job.check()
    background = parse_background(job.background)
    take = load_take(job.take, verify_audio=False)
    if job.video is not None and take.audio is not None:
        check_audio(job.take, take.audio)  # before rendering, so a missing audio file fails fast
    frames = parse_frames(job.frames, take)
    mesh = load_canonical_mesh(require(FACE_LANDMARKER, job.assets))
    frames_dir = ensure_writable(job.out / "frames")

    renderer = ProxyRenderer(mesh, replace(ProxyRenderConfig(), size=job.size, background=background))
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
    outputs = {"frames": str(frames_dir), "first_frame": str(frames.start), "last_frame": str(frames.stop - 1)}
    if job.video is not None:
        with progress.stage("encode", total=1) as stage:
            outputs["video"] = str(encode_video(take, job.take, frames_dir, frames, job.video, job.crf))
            stage.advance()
    return outputs
