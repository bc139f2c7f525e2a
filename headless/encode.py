"""``realtalk-render encode OUT_DIR --video OUT.mp4``: a finished render's frames + its Take's audio -> mp4.

Used after sharded renders: every shard writes into OUT_DIR, then one encode joins them. Every frame of the
render must be there and still hash to what its shard recorded, and the Take must be the one rendered.
"""

from __future__ import annotations

from pathlib import Path

from realtalk_core.progress import Progress
from realtalk_core.schema import check_audio, load_take
from realtalk_core.schema.fileio import sha256_file

from .errors import RenderError
from .frames import ensure_writable, frame_path
from .ledger import finished_frames
from .manifest import read_manifest, refresh_manifest
from .video import encode_video, ffmpeg_exe


def encode_folder(out: Path, video: Path, crf: int, progress: Progress) -> dict[str, str]:
    """Encode ``out``'s frames into ``video``; returns the outputs. One RenderError line for anything missing."""
    from .job import take_hash

    if not 0 <= crf <= 51:
        raise RenderError(f"--crf {crf}: must be between 0 and 51")
    if video.is_dir():
        raise RenderError(f"--video {video}: is a folder; name the mp4 file, e.g. {video / 'take.mp4'}")
    record = read_manifest(out)
    take_dir = Path(record["take"])
    take = load_take(take_dir, verify_audio=False)
    identity = record.get("identity") or {}
    if identity.get("take_sha256") != take_hash(take_dir):
        raise RenderError(f"{take_dir}: the Take changed after {out} was rendered; render it again "
                          f"(realtalk-render {take_dir} --out {out} --resume) before encoding")
    if identity.get("background") == "transparent":
        raise RenderError(f"{out}: the frames are transparent and an H.264 mp4 has no alpha; render with plate "
                          "or color:#RRGGBB for a video")
    frames = range(int(record["frames"]["first"]), int(record["frames"]["last"]) + 1)
    frames_dir = out / "frames"
    done = finished_frames(out, identity)
    _check_frames(out, frames_dir, frames, done, progress)
    if take.audio is not None:
        check_audio(take_dir, take.audio)
    else:
        progress.warning(f"{take_dir}: the take has no audio; the video will be silent")
    ffmpeg_exe()
    ensure_writable(video.parent, "--video")
    with progress.stage("encode", total=len(frames)) as stage:
        target = encode_video(take, take_dir, frames_dir, frames, video, crf, on_frame=stage.advance)
    refresh_manifest(out, video=str(target.resolve()), crf=crf)
    return {"video": str(target), "frames": str(frames_dir), "first_frame": str(frames.start),
            "last_frame": str(frames.stop - 1), "encoded": str(len(frames))}


def _check_frames(out: Path, frames_dir: Path, frames: range, done: dict, progress: Progress) -> None:
    missing = [n for n in frames if n not in done or not frame_path(frames_dir, n).is_file()]
    if missing:
        shown = ", ".join(str(n) for n in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise RenderError(f"{out}: {len(missing)} of {len(frames)} frames are not rendered yet ({shown}); run the "
                          "missing shards (or the render without --shard) with --resume, then encode again")
    with progress.stage("check", total=len(frames)) as stage:
        for number in frames:
            if sha256_file(frame_path(frames_dir, number)) != done[number]["sha256"]:
                raise RenderError(f"{frame_path(frames_dir, number)}: changed or damaged since it was rendered; "
                                  "render again with --resume (it redoes only such frames), then encode")
            stage.advance()
