"""``realtalk synth subject``: the synthetic demo subject, rendered by Blender, as a subject dataset.

    script (one voice, utterances in emotions)  ->  performance (exact ARKit weights, head pose)
    ->  Blender render (frames, masks, plate; worker processes, resumable)
    ->  OUT/ as a realtalk-dataset (dataset.json last), plus OUT/video.mp4 (with audio),
        OUT/mead/ (MEAD-like clips), OUT/phones.json and OUT/script.json

The folder is finished when ``dataset.json`` exists; running the command again resumes an
unfinished one (rendered frames are kept) and returns at once for a finished one.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import __version__
from ..assets.canonical_mesh import load_canonical_mesh
from ..process.dataset import MANIFEST
from ..progress import Progress
from ..rig import FaceRig
from ..schema.errors import RealtalkError
from ..schema.fileio import atomic_write
from .performance import PerformanceConfig, perform
from .subject.render import SubjectRenderConfig, render_sequence
from .subject_dataset import write_subject_dataset, write_wav16
from .subject_video import SPEAKER, encode_mp4, write_mead_tree
from .takes import PHONES_JSON, write_phones
from .timeline import TimelineConfig, build_timeline

WORK = ".work"
VIDEO = "video.mp4"
SCRIPT = "script.json"


@dataclass(frozen=True)
class SubjectConfig:
    """What ``realtalk synth subject`` makes."""

    minutes: float = 3.0
    seed: int = 0
    size: int = 256          #: frame size in pixels
    fps: float = 25.0
    mead: bool = True        #: also cut the MEAD-like clip tree
    timeline: TimelineConfig = field(default_factory=TimelineConfig)
    render: SubjectRenderConfig = field(default_factory=SubjectRenderConfig)

    def resolved(self) -> tuple[TimelineConfig, SubjectRenderConfig]:
        from dataclasses import replace

        return (replace(self.timeline, minutes=self.minutes, seed=self.seed),
                replace(self.render, size=self.size, fps=self.fps))

    def to_json(self) -> dict:
        return json.loads(json.dumps(asdict(self), default=str))


def _check_settings(out: Path, config: SubjectConfig) -> bool:
    """True when ``out`` already holds this finished subject; raises if it holds another one."""
    path = out / WORK / "config.json"
    wanted = config.to_json()
    if path.is_file():
        if json.loads(path.read_text(encoding="utf-8")) != wanted:
            raise RealtalkError(f"{out}: holds a subject made with other settings; use a new --out folder "
                                "or pass --overwrite")
        return (out / MANIFEST).is_file()
    if (out / MANIFEST).is_file():
        raise RealtalkError(f"{out}: already holds a dataset; use a new --out folder or pass --overwrite")
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, "w") as handle:
        json.dump(wanted, handle)
    return False


def run_subject(out: Path, task: Path, config: SubjectConfig, progress: Progress, workers: int = 1,
                overwrite: bool = False) -> dict[str, str]:
    """Make (or resume) the synthetic subject in ``out``; returns the outputs by name."""
    if overwrite and out.exists():
        shutil.rmtree(out)
    outputs = {"dataset": str(out), "video": str(out / VIDEO)}
    if config.mead:
        outputs["mead"] = str(out / "mead" / SPEAKER)
    if _check_settings(out, config):
        return outputs
    timeline_config, render_config = config.resolved()
    with progress.stage("script", total=1) as stage:
        timeline = build_timeline(timeline_config)
        rig = FaceRig.build(load_canonical_mesh(task))
        performance = perform(rig, timeline.phones, timeline.samples, timeline.sample_rate, timeline.curve,
                              seed=[config.seed, 11], config=PerformanceConfig(fps=config.fps))
        write_phones(out / PHONES_JSON, timeline.phones, source="espeak-ng")
        with atomic_write(out / SCRIPT, "w") as handle:
            json.dump({"voice": timeline.voice.to_dict(), "emotion_curve": timeline.curve.to_json(),
                       "clips": [clip.to_json() for clip in timeline.clips]}, handle, ensure_ascii=False, indent=1)
        stage.advance()
    render = render_sequence(performance.blendshapes, performance.head_pose, out / WORK / "render", render_config,
                             progress, workers=workers, assets=task)
    frames = performance.frame_count
    wav = out / WORK / "speech.wav"
    write_wav16(wav, timeline.samples, timeline.sample_rate)
    with progress.stage("media", total=1 + (len(timeline.clips) if config.mead else 0)) as stage:
        encode_mp4(render.out_dir / "frames", wav, out / VIDEO, config.fps, count=frames)
        stage.advance()
        if config.mead:
            write_mead_tree(out / "mead", render.out_dir / "frames", wav, timeline.clips, config.fps, frames)
            stage.advance(len(timeline.clips))
    tracks = {"landmarks": render.landmarks, "landmarks_image": render.landmarks_image,
              "blendshapes": performance.blendshapes, "head_pose": performance.head_pose}
    with progress.stage("dataset", total=frames) as stage:
        write_subject_dataset(out, render.out_dir, tracks, config.fps, config.size, timeline.samples,
                              timeline.sample_rate,
                              source={"name": "realtalk synth subject", "seed": config.seed, "version": __version__,
                                      "voice": timeline.voice.to_dict(), "duration": round(timeline.duration, 4)},
                              labels={"subject": "synthetic", "emotions": "see script.json"},
                              advance=stage.advance)
    return outputs
