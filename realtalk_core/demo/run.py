"""``realtalk demo``: the whole pipeline, end to end, on the shipped models and the demo subject.

speech (espeak-ng, with phone timings) -> emotion arc (neutral, happy, surprise, sad) -> ``realtalk
generate`` (motion VAE, emotion LDM, blendshape solve) -> ``realtalk-render`` (the demo subject's NeRF,
with audio, to an mp4) -> a contact sheet of the emotion peaks and a plot of the curves. Each stage is
timed. Run it again and finished frames are reused (the render resumes; same inputs, same Take).
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

from ..phonetics.voices import VoiceSpec
from ..progress import Progress
from ..schema import load_take
from ..schema.emotion_curves import save_emotion_curves
from ..schema.errors import RealtalkError
from ..schema.fileio import atomic_write
from .script import DEMO_TEXT, demo_curves, peak_times
from .speech import speak

REPORT_JSON = "report.json"


@dataclass(frozen=True)
class DemoConfig:
    """Settings of ``realtalk demo`` (recorded in ``report.json``)."""

    text: str = DEMO_TEXT      #: what the synthetic voice says
    voice: str = "en-us"       #: espeak-ng language
    words_per_minute: int = 160
    fps: float = 25.0
    size: int = 256            #: rendered frame size, pixels
    device: str = "auto"       #: auto (CUDA when present), cpu or cuda
    seed: int = 0
    subject: str = "demo"      #: the renderer's subject: demo, a subject folder, or proxy

    def voice_spec(self) -> VoiceSpec:
        return VoiceSpec(language=self.voice, rate=self.words_per_minute)


@dataclass
class StageTimer:
    """Wall time of each named stage, in the order they ran."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def time(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - began

    def table(self) -> str:
        total = sum(self.seconds.values())
        rows = [f"  {name:10s}{value:7.1f} s" for name, value in self.seconds.items()]
        return "\n".join(rows + [f"  {'total':10s}{total:7.1f} s"])


def resolve_device(spec: str) -> tuple[str, str]:
    """``auto`` -> cuda when torch sees a GPU, else cpu; returns (device, a sentence saying which and why)."""
    import torch

    if spec not in ("auto", "cpu", "cuda"):
        raise RealtalkError(f"--device {spec}: use auto, cpu or cuda")
    has_cuda = torch.cuda.is_available()
    if spec == "cuda" and not has_cuda:
        raise RealtalkError("--device cuda: no CUDA device is available here; use --device auto or cpu")
    if spec == "cpu" or not has_cuda:
        why = "as asked" if spec == "cpu" else "no CUDA GPU found"
        return "cpu", f"device: CPU ({why}; {torch.get_num_threads()} threads)"
    return "cuda", f"device: GPU {torch.cuda.get_device_name(0)} (CUDA {torch.version.cuda})"


def run_demo(out: Path, progress: Progress, config: DemoConfig | None = None,
             assets: Path | None = None) -> dict[str, str]:
    """Run every stage into ``out``; return the outputs by name (also written to ``out/report.json``)."""
    config = config or DemoConfig()
    if out.exists() and not out.is_dir():
        raise RealtalkError(f"--out {out}: is a file; pass a folder for the demo's outputs (default out/demo)")
    timer = StageTimer()
    device, device_note = resolve_device(config.device)
    progress.info(device_note)
    out.mkdir(parents=True, exist_ok=True)
    with timer.time("speech"), progress.stage("speech", total=1) as stage:
        wav, utterance = speak(config.text, out, config.voice_spec())
        curves = demo_curves(utterance.duration)
        save_emotion_curves(curves, out / "emotion_curves.json")
        stage.advance()
    with timer.time("generate"):
        take_dir = generate_take(out, wav, curves, config, device, progress, assets)
    with timer.time("render"):
        from realtalk_headless.job import RenderJob, render_take

        rendered = render_take(RenderJob(take=take_dir, out=out / "render", size=config.size, video=out / "demo.mp4",
                                         assets=assets, subject=config.subject, device=device), progress)
    with timer.time("figures"):
        sheet, plot = _figures(out, take_dir, Path(rendered["frames"]), utterance, curves, progress)
    outputs = {"video": rendered["video"], "contact_sheet": str(sheet), "curves": str(plot), "take": str(take_dir),
               "frames": rendered["frames"], "emotion_curves": str(out / "emotion_curves.json"),
               "speech": str(wav), "device": device}
    report = {"outputs": outputs, "seconds": {k: round(v, 2) for k, v in timer.seconds.items()},
              "config": asdict(config), "device_note": device_note, "speech_seconds": round(utterance.duration, 3)}
    with atomic_write(out / REPORT_JSON, "w") as handle:
        json.dump(report, handle, indent=1)
    outputs["report"] = str(out / REPORT_JSON)
    outputs["timings"] = timer.table()
    return outputs


def build_demo_take(out: Path, config: DemoConfig | None = None, progress: Progress | None = None,
                    assets: Path | None = None) -> Path:
    """Only the speech and the Take (no render): ``out/speech.wav`` and ``out/take``, on the CPU.
    Benchmarks and tests use it for a realistic Take."""
    config = config or DemoConfig()
    progress = progress or Progress("none")
    out.mkdir(parents=True, exist_ok=True)
    wav, utterance = speak(config.text, out, config.voice_spec())
    device = "cpu" if config.device == "auto" else config.device
    return generate_take(out, wav, demo_curves(utterance.duration), config, device, progress, assets)


def generate_take(out: Path, wav: Path, curves, config: DemoConfig, device: str, progress: Progress,
                  assets: Path | None) -> Path:
    """``realtalk generate`` as a library call: the shipped models, the demo identity, ``out/take``."""
    from ..assets.canonical_mesh import load_canonical_mesh
    from ..assets.store import FACE_LANDMARKER, require
    from ..generate import GenerateConfig, resolve_subject
    from ..generate.from_audio import generate_from_audio
    from ..generate.models import load_models
    from ..rig import FaceRig

    task = require(FACE_LANDMARKER, assets)
    with progress.stage("load", total=1) as stage:
        motion_model, emotion_model = load_models(device=device)
        identity = resolve_subject(None, FaceRig.build(load_canonical_mesh(task)))
        stage.advance()
    settings = GenerateConfig(fps=config.fps, seed=config.seed)
    return generate_from_audio(wav, out / "take", curves, motion_model, emotion_model, identity, settings,
                               progress, overwrite=True)


def _peak_frames(take, peaks: dict[str, float]) -> Iterator[tuple[str, int]]:
    for label, seconds in peaks.items():
        yield label, min(take.frame_count - 1, max(0, int(round(seconds * take.fps))))


def _figures(out: Path, take_dir: Path, frames_dir: Path, utterance, curves, progress: Progress) -> tuple[Path, Path]:
    import cv2

    from .figures import contact_sheet, curves_figure
    from realtalk_headless.frames import frame_path

    take = load_take(take_dir)
    peaks = peak_times(utterance.duration)
    with progress.stage("figures", total=2) as stage:
        chosen = dict(_peak_frames(take, peaks))
        images = {}
        for index in chosen.values():
            bgr = cv2.imread(str(frame_path(frames_dir, take.frame_start + index)), cv2.IMREAD_COLOR)
            if bgr is None:
                raise RealtalkError(f"{frames_dir}: frame {take.frame_start + index} is missing or unreadable; "
                                    "run the demo again (it resumes the render)")
            images[index] = bgr[:, :, ::-1]
        sheet = contact_sheet(out / "contact_sheet.png", take, chosen, images)
        stage.advance()
        _, intensity = curves.sample(take.fps, take.frame_count, 0)
        plot = curves_figure(out / "curves.png", take, utterance.phones, peaks, intensity)
        stage.advance()
    return sheet, plot
