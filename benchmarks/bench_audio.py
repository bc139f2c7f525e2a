"""Audio decoding, checks and long-audio features: speed and peak memory for a minute and an hour.

Run: .venv/bin/python benchmarks/bench_audio.py   (writes its section of docs/RESULTS.md)

Each case decodes a file with ``load_audio`` (16 kHz mono float32), runs ``check_audio`` and
``extract_features_long`` (25 fps, 60 s chunks) in a fresh child process, so its peak RSS
(``ru_maxrss``) is that case's alone. The files hold a speech-like signal (a gliding harmonic buzz
with syllable-rate loudness and a noise floor), written a minute at a time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402

#: (label, seconds, container, sample rate, channels)
CASES = (("1 min", 60, "wav", 16000, 1), ("1 min", 60, "wav", 44100, 2), ("1 min", 60, "mp3", 44100, 2),
         ("1 min", 60, "m4a", 44100, 2), ("1 hour", 3600, "wav", 16000, 1), ("1 hour", 3600, "wav", 44100, 2),
         ("1 hour", 3600, "m4a", 44100, 2))
CODECS = {"mp3": ("-c:a", "libmp3lame", "-b:a", "128k"), "m4a": ("-c:a", "aac", "-b:a", "128k")}


def write_source(path: Path, seconds: int, rate: int, channels: int) -> None:
    """A 16-bit WAV of speech-like sound, generated and written a minute at a time."""
    import soundfile

    rng = np.random.default_rng(0)
    with soundfile.SoundFile(str(path), "w", rate, channels, "PCM_16") as out:
        for minute in range(0, seconds, 60):
            t = minute + np.arange(min(60, seconds - minute) * rate) / rate           # (n,) seconds
            phase = 2 * np.pi * (150 * t - 40 / (2 * np.pi * 0.4) * np.cos(2 * np.pi * 0.4 * t))
            voice = sum(np.sin(k * phase) / k for k in range(1, 12))
            loudness = np.clip(np.sin(2 * np.pi * 2.5 * t), 0.05, None)
            mono = 0.25 * loudness * voice + 0.01 * rng.normal(size=t.size)
            out.write(np.repeat(mono[:, None], channels, axis=1))


def encode(source: Path, target: Path) -> None:
    import imageio_ffmpeg

    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y", "-i", str(source),
                    *CODECS[target.suffix[1:]], str(target)], check=True)


def child(path: str) -> None:
    """Decode, check and featurise ``path``; print the timings and this process's peak RSS as JSON."""
    import resource

    from realtalk_core.audio import check_audio, extract_features_long, load_audio

    start = time.perf_counter()
    import scipy.signal  # noqa: F401  (load_audio imports it on first use; timed apart, once per process)

    imported_at = time.perf_counter()
    decoded = load_audio(path)
    decoded_at = time.perf_counter()
    report = check_audio(decoded)
    checked_at = time.perf_counter()
    del decoded
    features = extract_features_long(report.audio.samples, 16000, 25.0)
    done = time.perf_counter()
    print(json.dumps({"import_s": imported_at - start, "decode_s": decoded_at - imported_at,
                      "check_s": checked_at - decoded_at, "features_s": done - checked_at, "duration": report.duration,
                      "decoder": report.audio.decoder, "frames": len(features.values),
                      "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run_case(folder: Path, seconds: int, container: str, rate: int, channels: int) -> dict:
    wav = folder / f"source_{seconds}s_{rate}_{channels}ch.wav"
    if not wav.exists():
        write_source(wav, seconds, rate, channels)
    path = wav if container == "wav" else wav.with_suffix(f".{container}")
    if not path.exists():
        encode(wav, path)
    result = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                            check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["file_mb"] = path.stat().st_size / 1e6
    return figures


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, seconds, container, rate, channels in CASES:
            f = run_case(Path(tmp), seconds, container, rate, channels)
            total = f["decode_s"] + f["check_s"] + f["features_s"]
            source = f"{container.upper()} {rate / 1000:g} kHz {'stereo' if channels == 2 else 'mono'}"
            rows.append((label, source, f, total))
            print(f"{label:6s} {source:24s} {f['file_mb']:7.1f} MB  decode {f['decode_s']:6.2f} s ({f['decoder']})  "
                  f"check {f['check_s']:5.2f} s  features {f['features_s']:6.2f} s  total {total:6.2f} s "
                  f"({seconds / total:5.0f}x real time)  peak RSS {f['max_rss_mb']:.0f} MB")
    lines = ["## Audio decoding and long-audio features (`benchmarks/bench_audio.py`)", "",
             f"Machine: {machine()}.", "",
             "`load_audio` (to 16 kHz mono float32; soundfile + block-wise `resample_poly`, or ffmpeg for M4A), "
             "`check_audio`, then `extract_features_long` (82 channels at 25 fps, 60 s chunks), each case in a "
             "fresh process. Peak RSS is the child's `ru_maxrss` (Python, numpy and scipy included).", "",
             "| audio | source | file | decode | check | features | total | × real time | peak RSS |",
             "|---|---|---|---|---|---|---|---|---|"]
    for label, source, f, total in rows:
        lines.append(f"| {label} | {source} ({f['decoder']}) | {f['file_mb']:.1f} MB | {f['decode_s']:.2f} s | "
                     f"{f['check_s']:.2f} s | {f['features_s']:.2f} s | {total:.2f} s | "
                     f"{f['duration'] / total:.0f}× | {f['max_rss_mb']:.0f} MB |")
    import_s = max(f["import_s"] for _, _, f, _ in rows)
    lines += ["", f"Decode times leave out importing scipy.signal (up to {import_s:.2f} s here, once per process). "
              "An hour of 16 kHz mono float32 is 230 MB; the whole-utterance `extract_features` of an hour "
              "would need several GB for its pitch autocorrelation alone, hence the chunks."]
    write_section("audio", "\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main()
