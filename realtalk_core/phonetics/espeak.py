"""Speech with phone timings from espeak-ng: :func:`synthesize` and :func:`write_wav`.

espeak-ng's command line gives no phone times, so :mod:`.espeak_lib` drives libespeak-ng through
ctypes and collects the PCM samples and PHONEME events; here they become an :class:`Utterance`
whose phones tile the audio. Each call runs in a forked child of the initialised library, so the
same text and voice give identical samples (see :meth:`Engine.run_isolated`).

IPA checked by inspecting the phoneme events of espeak-ng 1.51 (Debian) and 1.52
(espeakng-loader) for en-us, en-gb, es, fr, de, it and pt-br: stress marks arrive glued to
vowels ("ˈaɪ"), French schwa as "ə-", nasal vowels with a combining tilde ("ɔ̃", "ɐ̃ʊ"),
diphthongs and r-coloured vowels as one event ("aɪ", "ɑːɹ"), affricates without tie bars
("tʃ", "dʒ"), pauses as empty names, and sometimes several events at one instant (the "l" of
"wolves"). :func:`.phones.normalize_ipa` maps the names onto our symbols.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..schema.errors import RealtalkError
from ..schema.fileio import atomic_write
from .espeak_lib import SAMPLE_RATE, EspeakError, engine
from .phones import PAUSE, Phone, merge_pauses, normalize_ipa
from .voices import VoiceError, VoiceSpec

#: How far espeak-ng's last event may be from the end of its audio before we distrust the timing.
TIMING_TOLERANCE_S = 0.05

__all__ = ["EspeakError", "SAMPLE_RATE", "Utterance", "engine_info", "phones_from_events", "synthesize",
           "write_wav"]


@dataclass(frozen=True)
class Utterance:
    """Synthesized speech and the phones espeak-ng says it spoke."""

    samples: np.ndarray          #: (N,) float32 mono in [-1, 1]
    sample_rate: int             #: 22050
    phones: tuple[Phone, ...]    #: tile [0, duration]; pauses and silences are "_"
    text: str                    #: the text as spoken (whitespace collapsed)
    voice: VoiceSpec

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def engine_info() -> tuple[str, str]:
    """(library path, espeak-ng version) of the library this process uses."""
    eng = engine()
    return eng.library_path, eng.version


def phones_from_events(events: list[tuple[int, str]], duration: float) -> list[Phone]:
    """Phones tiling [0, duration] from (start ms, espeak IPA name) events.

    Each phone ends where the next begins; phones sharing one start time share the span to the
    next start equally; empty names are pauses; the time before the first phone is a pause.
    """
    timed = sorted(((min(ms / 1000.0, duration), normalize_ipa(name)) for ms, name in events),
                   key=lambda item: item[0])
    # A pause that starts where another phone starts has no length: drop it.
    timed = [(t, sym) for k, (t, sym) in enumerate(timed)
             if not (sym == PAUSE and k + 1 < len(timed) and timed[k + 1][0] == t)]
    phones: list[Phone] = [Phone(PAUSE, 0.0, timed[0][0] if timed else duration)]
    k = 0
    while k < len(timed):
        last = k
        while last + 1 < len(timed) and timed[last + 1][0] == timed[k][0]:
            last += 1
        start = timed[k][0]
        stop = timed[last + 1][0] if last + 1 < len(timed) else duration
        share = (stop - start) / (last - k + 1)
        phones += [Phone(timed[j][1], start + share * (j - k), start + share * (j - k + 1)) for j in range(k, last + 1)]
        k = last + 1
    return merge_pauses([p for p in phones if p.end > p.start])


def synthesize(text: str, voice: VoiceSpec = VoiceSpec()) -> Utterance:
    """Speak ``text`` with ``voice``; return the audio and its phones (same input, same samples)."""
    if not isinstance(voice, VoiceSpec):
        raise VoiceError(f"voice must be a VoiceSpec, not {type(voice).__name__}")
    clean = " ".join(str(text).replace("\x00", " ").split())
    if not clean:
        raise EspeakError("synthesize got empty text; pass a sentence to speak")
    eng = engine()
    raw, events = eng.run_isolated(clean, voice)
    duration = len(raw) / SAMPLE_RATE
    if not events or raw.size == 0:
        raise EspeakError(f"espeak-ng said nothing for {clean[:40]!r} in voice {voice.espeak_name}; "
                          "pass text with pronounceable words")
    last = max(ms for ms, _ in events) / 1000.0
    if abs(last - duration) > TIMING_TOLERANCE_S:
        raise EspeakError(f"espeak-ng ({eng.library_path}) phone timing ends at {last:.3f} s but the audio at "
                          f"{duration:.3f} s; use espeak-ng 1.51 or newer")
    phones = phones_from_events(events, duration)
    if all(p.symbol == PAUSE for p in phones):
        raise EspeakError(f"espeak-ng spoke no phones for {clean[:40]!r}; pass text with pronounceable words")
    samples = raw.astype(np.float32) / np.float32(32768.0)
    return Utterance(samples=samples, sample_rate=SAMPLE_RATE, phones=tuple(phones), text=clean, voice=voice)


def write_wav(utterance: Utterance, path: str | Path) -> Path:
    """Write the utterance as 16-bit PCM mono WAV, atomically; returns the path."""
    target = Path(path)
    pcm = np.clip(np.round(utterance.samples * 32768.0), -32768, 32767).astype("<i2")
    try:
        with atomic_write(target) as handle, wave.open(handle, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(utterance.sample_rate)
            out.writeframes(pcm.tobytes())
    except OSError as err:
        raise RealtalkError(f"{target}: cannot write the wav ({err.strerror or err}); "
                            "check the folder exists and is writable") from None
    return target
