"""``realtalk demo``: the pipeline as far as it is built, end to end, for real.

Today that is: speech synthesized by espeak-ng from our own text, a Take holding the
subject-neutral face (MediaPipe's canonical mesh, from the verified asset) with head
motion that follows the speech energy, the audio copied in, everything validated, and
a proxy render (``realtalk_headless``) to an mp4 with the audio. Lip motion and emotion arrive with the motion and emotion models.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import __version__
from .assets.canonical_mesh import load_canonical_mesh, neutral_landmarks
from .assets.store import FACE_LANDMARKER, require
from .progress import Progress
from .schema import SubjectRef, Take, Tracks, attach_audio, load_take, save_take
from .schema.errors import RealtalkError

DEMO_TEXT = ("Hello, and welcome to RealTalk Studio. This short clip was spoken by a speech synthesizer, "
             "then turned into a take that you can open in Blender or in the previewer.")


@dataclass
class DemoConfig:
    """Settings of ``realtalk demo``."""

    text: str = DEMO_TEXT          #: what the synthetic voice says
    voice: str = "en-us"           #: espeak-ng voice
    words_per_minute: int = 150
    fps: float = 25.0
    #: distance from the camera to the head, metres (the head sits at -z in camera space)
    head_distance: float = 0.6
    #: peak head rotation in degrees: (pitch, yaw, roll)
    sway_degrees: tuple[float, float, float] = field(default=(2.5, 4.0, 1.5))
    #: size of the rendered preview frames, pixels
    render_size: int = 256


class DemoError(RealtalkError):
    """A demo step failed; the message names the tool and the fix."""


def synthesize_speech(text: str, wav: Path, config: DemoConfig) -> None:
    """Speak ``text`` into ``wav`` with the espeak-ng program (argument list, no shell)."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise DemoError("espeak-ng not found; run `make setup` (as root) or `sudo apt-get install espeak-ng`")
    command = [exe, "-v", config.voice, "-s", str(config.words_per_minute), "-w", str(wav), text]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0 or not wav.is_file() or wav.stat().st_size < 1000:
        raise DemoError(f"espeak-ng failed to write {wav}: {result.stderr.strip() or 'no output'}")


def read_wav_mono(wav: Path) -> tuple[np.ndarray, int]:
    """A 16-bit PCM wav as float32 mono samples in [-1, 1], with its sample rate."""
    with wave.open(str(wav), "rb") as handle:
        if handle.getsampwidth() != 2:
            raise DemoError(f"{wav}: expected 16-bit PCM")
        rate, channels = handle.getframerate(), handle.getnchannels()
        data = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2")
    samples = data.reshape(-1, channels).mean(axis=1).astype(np.float32) / 32768.0
    return samples, rate


def energy_envelope(samples: np.ndarray, rate: int, fps: float, frames: int) -> np.ndarray:
    """Per-frame RMS energy, smoothed over ~0.3 s and scaled to [0, 1]."""
    hop = rate / fps
    rms = np.array([np.sqrt(np.mean(samples[int(i * hop):int((i + 1) * hop)] ** 2) + 1e-12)
                    for i in range(frames)], np.float32)
    width = max(1, int(round(0.3 * fps)))
    kernel = np.hanning(width + 2)[1:-1]
    smooth = np.convolve(rms, kernel / kernel.sum(), mode="same")
    return smooth / max(float(smooth.max()), 1e-6)


def _rotation(pitch: float, yaw: float, roll: float) -> np.ndarray:
    cx, sx, cy, sy, cz, sz = (math.cos(pitch), math.sin(pitch), math.cos(yaw), math.sin(yaw),
                              math.cos(roll), math.sin(roll))
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def head_motion(energy: np.ndarray, config: DemoConfig) -> np.ndarray:
    """(T, 4, 4) rigid poses: slow sway plus a nod that follows speech energy."""
    t = np.arange(len(energy)) / config.fps
    pitch_max, yaw_max, roll_max = np.radians(config.sway_degrees)
    poses = np.zeros((len(energy), 4, 4), np.float32)
    for i, (time_s, level) in enumerate(zip(t, energy, strict=True)):
        pitch = pitch_max * (0.6 * level + 0.4 * math.sin(2 * math.pi * time_s / 3.1))
        yaw = yaw_max * math.sin(2 * math.pi * time_s / 5.3)
        roll = roll_max * math.sin(2 * math.pi * time_s / 7.7 + 1.0)
        poses[i, :3, :3] = _rotation(pitch, yaw, roll)
        poses[i, :3, 3] = (0.0, 0.0, -config.head_distance)
        poses[i, 3, 3] = 1.0
    return poses


def build_take(out: Path, config: DemoConfig, progress: Progress, assets: Path | None = None) -> Path:
    """Synthesize speech and write a validated neutral Take into ``out/take``; return that folder."""
    task = require(FACE_LANDMARKER, assets)
    take_dir = out / "take"
    take_dir.mkdir(parents=True, exist_ok=True)
    with progress.stage("speech", total=1) as stage:
        wav = out / "speech.wav"
        synthesize_speech(config.text, wav, config)
        stage.advance()
    with progress.stage("take", total=3) as stage:
        samples, rate = read_wav_mono(wav)
        frames = max(1, int(math.ceil(len(samples) / rate * config.fps)))
        neutral = neutral_landmarks(load_canonical_mesh(task))
        tracks = Tracks.neutral(frames, neutral)
        tracks.head_pose = head_motion(energy_envelope(samples, rate, config.fps, frames), config)
        stage.advance()
        audio = attach_audio(take_dir, wav, rate, offset=0.0, name="audio.wav")
        take = Take(fps=config.fps, tracks=tracks, audio=audio, subject=SubjectRef("canonical"),
                    provenance={"tool": "realtalk demo", "version": __version__,
                                "models": {"face_landmarker.task": FACE_LANDMARKER.sha256},
                                "text": config.text, "voice": config.voice})
        save_take(take, take_dir)
        stage.advance()
        load_take(take_dir)  # read back through the same validator every consumer uses
        stage.advance()
    return take_dir


def run_demo(out: Path, progress: Progress, config: DemoConfig | None = None,
             assets: Path | None = None) -> dict[str, str]:
    """Run every built stage; return the outputs by name. Prints nothing itself."""
    config = config or DemoConfig()
    started = time.perf_counter()
    take_dir = build_take(out, config, progress, assets)
    outputs = {"take": str(take_dir), "audio": str(take_dir / "audio.wav")}
    # The renderer is its own package; the demo drives it as a library call.
    from realtalk_headless.job import RenderJob, render_take
    rendered = render_take(RenderJob(take=take_dir, out=out / "render", size=config.render_size,
                                     video=out / "demo.mp4", assets=assets, subject="proxy"), progress)
    outputs.update(frames=rendered["frames"], video=rendered["video"])
    outputs["seconds"] = f"{time.perf_counter() - started:.1f}"
    return outputs
