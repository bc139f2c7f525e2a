"""Speed of `realtalk generate`: 60 s of real speech to a Take; writes docs/RESULTS.md "generate_speed".

The audio is LibriVox speech (pocketsphinx-testdata) concatenated to 60 s (or CMU ARCTIC a0009 looped
when that package is missing). Model loading is timed separately; each stage is timed in-process
and peak RSS is read from a fresh child process running the whole CLI.

    python benchmarks/bench_generate.py [--motion CKPT] [--emotion CKPT] [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")


def speech(seconds: float, path: Path) -> Path:
    from realtalk_core.assets.store import ARCTIC_A0009_WAV, require
    from realtalk_core.audio import load_audio
    from realtalk_core.audio.wav import write_pcm_wav

    sources = sorted(LIBRIVOX.glob("*.wav")) or [require(ARCTIC_A0009_WAV)]
    parts, total = [], 0
    while total < seconds * 16000:
        for source in sources:
            parts.append(load_audio(source, 16000).samples)
            total += len(parts[-1])
    return write_pcm_wav(np.concatenate(parts)[: int(seconds * 16000)], 16000, path)


def stages(wav: Path, motion, emotion, repeats: int = 3) -> dict[str, float]:
    from realtalk_core.assets.canonical_mesh import load_canonical_mesh
    from realtalk_core.assets.store import FACE_LANDMARKER, require
    from realtalk_core.audio import check_audio, extract_features_long, load_audio
    from realtalk_core.generate import GenerateConfig, apply_emotion, neutral_layer, resolve_subject
    from realtalk_core.generate.models import load_models
    from realtalk_core.rig import FaceRig
    from realtalk_core.schema.emotion_curves import EmotionCurves

    start = time.perf_counter()
    motion_model, emotion_model = load_models(motion, emotion)
    rig = FaceRig.build(load_canonical_mesh(require(FACE_LANDMARKER)))
    load_s = time.perf_counter() - start
    subject, config = resolve_subject(None, rig), GenerateConfig()
    best: dict[str, float] = {}
    for _ in range(repeats):
        times = {}
        t = time.perf_counter()
        audio = check_audio(load_audio(wav, 16000)).audio
        times["decode + check"] = time.perf_counter() - t
        t = time.perf_counter()
        extract_features_long(audio.samples, 16000, config.fps)
        times["features (also inside motion)"] = time.perf_counter() - t
        t = time.perf_counter()
        layer = neutral_layer(audio.samples, 16000, motion_model, subject, config)
        times["motion layer (features, VAE, blinks, seal, head)"] = time.perf_counter() - t
        frames = len(layer.blendshapes)
        for name, preset in (("emotion neutral", "neutral"), ("emotion happy:0.8", "happy:0.8")):
            mix, intensity = EmotionCurves.from_preset(preset).sample(config.fps, frames)
            t = time.perf_counter()
            apply_emotion(layer, mix.astype(np.float64), intensity.astype(np.float64), emotion_model, subject)
            times[name] = time.perf_counter() - t
        for key, value in times.items():
            best[key] = min(best.get(key, np.inf), value)
    return {"load": load_s, **best}


def child_rss(wav: Path, motion, emotion) -> tuple[float, float]:
    code = ("import resource, sys, time\n"
            "from realtalk_core.cli.main import main\n"
            "t = time.perf_counter()\n"
            f"args = ['generate', {str(wav)!r}, '--out', sys.argv[1], '--emotion', 'happy:0.8', '--progress', 'none']\n"
            + (f"args += ['--motion-model', {str(motion)!r}]\n" if motion else "")
            + (f"args += ['--emotion-model', {str(emotion)!r}]\n" if emotion else "")
            + "assert main(args) == 0\n"
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", code, str(Path(tmp) / "take")], capture_output=True, text=True,
                             check=True).stdout.split()
    return float(out[-2]), float(out[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--motion", type=Path)
    parser.add_argument("--emotion", type=Path)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    import torch

    with tempfile.TemporaryDirectory() as tmp:
        wav = speech(args.seconds, Path(tmp) / "speech.wav")
        times = stages(wav, args.motion, args.emotion)
        wall, rss = child_rss(wav, args.motion, args.emotion)
    generate = times["motion layer (features, VAE, blinks, seal, head)"] + times["emotion happy:0.8"] \
        + times["decode + check"]
    rows = "\n".join(f"| {name} | {value:.3f} s |" for name, value in times.items())
    body = (f"## `realtalk generate` speed (`benchmarks/bench_generate.py`)\n\nMachine: {machine()}. "
            f"torch threads: {torch.get_num_threads()}. {args.seconds:.0f} s of real speech (LibriVox clips "
            "joined), 25 fps, best of 3 in one process.\n\n| stage | seconds |\n|---|---|\n" + rows +
            f"\n\n**Audio to Take, model loading excluded: {generate:.3f} s = {args.seconds / generate:.0f}x real "
            f"time** (decode + motion layer + emotion happy:0.8). The whole CLI in a fresh process (imports, model "
            f"loading, writing the Take and its audio): {wall:.2f} s, peak RSS {rss:.0f} MB.")
    print(body)
    write_section("generate_speed", body)


if __name__ == "__main__":
    main()
