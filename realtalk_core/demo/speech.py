"""The demo's voice: espeak-ng speaks the text, and says when it spoke each phone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from ..phonetics.espeak import Utterance, synthesize, write_wav
from ..phonetics.voices import VoiceSpec
from ..synth.takes import PHONES_JSON, write_phones

#: Clip lengths the demo is made for; longer text still works, it just takes longer.
TARGET_SECONDS = (8.0, 12.0)


def speak(text: str, out: Path, voice: VoiceSpec) -> tuple[Path, Utterance]:
    """Synthesize ``text`` into ``out/speech.wav`` and its phone timings into ``out/phones.json``."""
    utterance = synthesize(text, voice)
    # espeak-ng's output sits slightly off zero; centre it so the audio check has nothing to warn about.
    utterance = replace(utterance, samples=(utterance.samples - utterance.samples.mean()).astype(np.float32))
    wav = write_wav(utterance, out / "speech.wav")
    write_phones(out / PHONES_JSON, utterance.phones, f"espeak-ng {voice.espeak_name}")
    return wav, utterance
