"""English speech from CMU flite, with the phone timing flite itself used (``-psdur``).

espeak-ng is a formant synthesizer: every voice shares one idea of how a /b/ or an /m/ sounds, and
its stop closures are digital silence. flite's voices come from recordings of real speakers:
``kal16`` concatenates real diphones (Kevin Lenzo), ``awb`` and ``rms`` are statistical voices
trained on CMU ARCTIC recordings. Their closures, bursts and nasal murmurs are much nearer real
speech, so a motion corpus voiced partly by flite teaches the model cues that hold on real audio.

``slt`` is deliberately not offered: it is trained on the CMU ARCTIC speaker slt, whose a0009 is
our real-speech evaluation clip.

flite is a Debian package (``apt install flite``, which ``make setup`` does as root). Only
``realtalk synth motion --engine flite`` needs it; nothing at generation time does.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..schema.errors import RealtalkError
from .espeak import Utterance
from .phones import PAUSE, Phone, arpabet_to_ipa, merge_pauses

#: Voices built from real speakers (see the module text for why slt is not among them).
FLITE_VOICES: tuple[str, ...] = ("kal16", "awb", "rms")
#: Voices whose mean pitch flite can move (diphone voices; the statistical ones ignore it).
PITCHABLE = frozenset({"kal16"})


class FliteError(RealtalkError):
    """flite is missing or could not speak; the message says what to install or change."""


@dataclass(frozen=True)
class FliteVoice:
    """One flite voice and how it speaks (plain data; recorded in each Take's provenance)."""

    name: str = "kal16"
    stretch: float = 1.0              #: duration stretch: above 1 is slower
    f0_mean_hz: float | None = None   #: mean pitch target (diphone voices only); None keeps the voice's own
    language: str = "en-us"

    def __post_init__(self) -> None:
        if self.name not in FLITE_VOICES:
            raise FliteError(f"unknown flite voice {self.name!r}; use one of {', '.join(FLITE_VOICES)}")
        if not 0.5 <= self.stretch <= 2.0:
            raise FliteError(f"flite stretch {self.stretch} is outside 0.5..2.0")

    def to_dict(self) -> dict:
        return {"engine": "flite", **asdict(self)}

    @property
    def speaker(self) -> str:
        return f"flite-{self.name}"


def sample_flite_voice(rng: np.random.Generator, names: tuple[str, ...] = FLITE_VOICES) -> FliteVoice:
    """A random flite voice, speaking rate and (where flite can move it) pitch."""
    name = str(names[int(rng.integers(len(names)))])
    stretch = float(np.round(rng.uniform(0.8, 1.25), 3))
    f0 = float(np.round(rng.uniform(85.0, 210.0), 1)) if name in PITCHABLE else None
    return FliteVoice(name=name, stretch=stretch, f0_mean_hz=f0)


def flite_executable() -> str:
    found = shutil.which("flite")
    if found is None:
        raise FliteError("flite is not installed; run `sudo apt install flite` (or `make setup` as root), "
                         "or synthesize with --engine espeak")
    return found


def parse_segments(text: str, duration: float) -> list[Phone]:
    """Phones tiling [0, duration] from flite's ``-psdur`` line (``pau:0.220 p:0.353 ...``, end times)."""
    phones: list[Phone] = []
    start = 0.0
    for token in text.split():
        name, _, end_text = token.rpartition(":")
        try:
            end = min(float(end_text), duration)
            symbol = PAUSE if name.lower() in ("pau", "h#", "") else arpabet_to_ipa(name)
        except (ValueError, KeyError):
            raise FliteError(f"flite printed a segment we cannot read: {token!r}") from None
        if end > start:
            phones.append(Phone(symbol, start, end))
            start = end
    if not phones:
        raise FliteError("flite printed no segments")
    if start < duration:
        last = phones[-1]
        phones[-1] = Phone(last.symbol, last.start, duration) if last.symbol == PAUSE else last
        if phones[-1].end < duration:
            phones.append(Phone(PAUSE, start, duration))
    return merge_pauses(phones)


def synthesize_flite(text: str, voice: FliteVoice = FliteVoice()) -> Utterance:
    """Speak English ``text`` with ``voice``: 16 kHz float32 samples and flite's own phone timing."""
    clean = " ".join(str(text).replace("\x00", " ").split())
    if not clean:
        raise FliteError("synthesize_flite got empty text; pass a sentence to speak")
    command = [flite_executable(), "-voice", voice.name, "--setf", f"duration_stretch={voice.stretch}"]
    if voice.f0_mean_hz is not None:
        command += ["--setf", f"int_f0_target_mean={voice.f0_mean_hz}"]
    with tempfile.TemporaryDirectory(prefix="realtalk_flite_") as folder:
        wav = Path(folder) / "speech.wav"
        result = subprocess.run(command + ["-psdur", "-t", clean, "-o", str(wav)], capture_output=True,
                                text=True, check=False)
        if result.returncode != 0 or not wav.is_file():
            raise FliteError(f"flite failed on {clean[:40]!r} ({(result.stderr.strip() or 'no message')[:120]})")
        with wave.open(str(wav), "rb") as handle:
            rate = handle.getframerate()
            raw = np.frombuffer(handle.readframes(handle.getnframes()), "<i2")
    samples = raw.astype(np.float32) / np.float32(32768.0)
    phones = parse_segments(result.stdout, len(samples) / rate)
    if all(p.symbol == PAUSE for p in phones):
        raise FliteError(f"flite spoke no phones for {clean[:40]!r}; pass text with English words")
    return Utterance(samples=samples, sample_rate=rate, phones=tuple(phones), text=clean, voice=voice)  # type: ignore[arg-type]
