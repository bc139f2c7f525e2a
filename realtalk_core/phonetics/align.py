"""Forced alignment of English speech to its transcript with pocketsphinx's shipped en-us model.

Two decoder passes, as pocketsphinx 5 intends: ``set_align_text`` and a word-level pass, then
``set_alignment`` and a phone-level pass, whose ``get_alignment()`` gives words and their phones in
10 ms frames. The beams are wide open (``beam=1e-100``) because the default ones fail on
synthetic voices ("Final result does not match the grammar"). Audio of any WAV sample rate and
channel count is mixed to mono and resampled to 16 kHz int16 first. Median phone-onset error on
CMU ARCTIC a0009 is about 10 ms (``benchmarks/bench_align.py``).
"""

from __future__ import annotations

import re
import threading
import warnings
from dataclasses import dataclass, replace
from functools import lru_cache
from math import gcd
from pathlib import Path

import numpy as np

from ..schema.errors import RealtalkError
from .phones import Phone, arpabet_to_ipa, merge_pauses

SAMPLE_RATE = 16000
FRAME_S = 0.01
#: Peak level below which audio counts as silent (about -70 dBFS).
SILENCE_PEAK = 3e-4
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


class AlignError(RealtalkError):
    """Audio or transcript that cannot be aligned; the message names the file or word."""


@dataclass(frozen=True)
class AlignConfig:
    """pocketsphinx decoder settings for forced alignment."""

    beam: float = 1e-100     #: HMM state beam: wide open, for synthetic and fast speech
    wbeam: float = 1e-80     #: word exit beam
    pbeam: float = 1e-100    #: phone transition beam
    #: Beams for a second attempt when the first fails ("Failed to set up sub-word alignment"; seen on
    #: 4 of 20 slow en-gb espeak-ng sentences at 1e-100, none at 1e-200, with equal accuracy). None: no retry.
    fallback_beam: float | None = 1e-200
    model_dir: str | None = None   #: pocketsphinx model folder (holding en-us/); None: the package's own

    def fallback(self) -> "AlignConfig | None":
        """The config of the second attempt, or None."""
        if self.fallback_beam is None:
            return None
        wide = self.fallback_beam
        return replace(self, beam=wide, wbeam=wide, pbeam=wide, fallback_beam=None)

    def build(self):  # noqa: ANN201 (pocketsphinx.Decoder)
        """A new pocketsphinx Decoder for 16 kHz audio."""
        try:
            import pocketsphinx
        except ImportError:
            raise AlignError("pocketsphinx is not installed; run `make setup` (pip install 'realtalk[media]')") from None
        options = dict(samprate=SAMPLE_RATE, bestpath=False, beam=self.beam, wbeam=self.wbeam, pbeam=self.pbeam,
                       loglevel="FATAL")
        model = Path(self.model_dir or pocketsphinx.get_model_path())
        if self.model_dir:
            options.update(hmm=str(model / "en-us" / "en-us"), dict=str(model / "en-us" / "cmudict-en-us.dict"))
        return pocketsphinx.Decoder(**options)


def read_audio(path: str | Path) -> tuple[np.ndarray, int]:
    """(samples float64 mono in [-1, 1], sample rate) from a PCM or float WAV file."""
    from scipy.io import wavfile
    path = Path(path)
    if not path.is_file():
        raise AlignError(f"{path}: no such audio file; pass a .wav file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", wavfile.WavFileWarning)   # unknown chunks (LIST, cue) are fine
            rate, data = wavfile.read(path)
    except (ValueError, OSError, EOFError) as err:
        raise AlignError(f"{path}: unreadable audio ({err}); pass a PCM or float WAV file") from None
    data = np.asarray(data)
    if data.dtype.kind == "u":
        audio = (data.astype(np.float64) - 128.0) / 128.0
    elif data.dtype.kind == "i":
        audio = data.astype(np.float64) / float(2 ** (8 * data.dtype.itemsize - 1))
    elif data.dtype.kind == "f":
        audio = data.astype(np.float64)
    else:
        raise AlignError(f"{path}: unsupported sample type {data.dtype}; pass a PCM or float WAV file")
    if audio.ndim == 2:
        audio = audio.mean(axis=1)                                   # (N, C) -> (N,)
    return audio, int(rate)


def to_pcm16k(audio: np.ndarray, rate: int) -> bytes:
    """Mono float audio at ``rate`` -> 16 kHz little-endian int16 bytes."""
    if rate != SAMPLE_RATE:
        from scipy.signal import resample_poly
        common = gcd(rate, SAMPLE_RATE)
        audio = resample_poly(audio, SAMPLE_RATE // common, rate // common)
    return np.clip(np.round(audio * 32767.0), -32768, 32767).astype("<i2").tobytes()


def transcript_words(text: str) -> list[str]:
    """Lower-case words of a transcript, punctuation dropped ("Philip's," -> "philip's")."""
    return _WORD.findall(text.lower().replace("’", "'"))


class Aligner:
    """A reusable pocketsphinx decoder for forced alignment (one alignment at a time)."""

    def __init__(self, config: AlignConfig = AlignConfig()) -> None:
        self.config = config
        self.decoder = config.build()
        self._fallback: Aligner | None = None
        self._lock = threading.Lock()

    def align(self, wav: str | Path, text: str) -> list[Phone]:
        """IPA phones of ``text`` timed against the speech in ``wav`` (seconds; pauses "_")."""
        audio, rate = read_audio(wav)
        if audio.size < rate * 0.1:
            raise AlignError(f"{wav}: audio is shorter than 0.1 s; pass the recording of the transcript")
        if not np.isfinite(audio).all() or np.abs(audio).max() < SILENCE_PEAK:
            raise AlignError(f"{wav}: audio is silent; pass a recording with speech in it")
        words = transcript_words(text)
        if not words:
            raise AlignError(f"{wav}: the transcript {text[:40]!r} has no words; pass the words that are spoken")
        with self._lock:
            for word in words:
                if self.decoder.lookup_word(word) is None:
                    raise AlignError(f"{wav}: word {word!r} is not in the pocketsphinx dictionary; "
                                     "spell it out or replace it with a known word")
            pcm = to_pcm16k(audio, rate)
            timed = self._align_pcm(pcm, " ".join(words))
            if timed is None and self.config.fallback() is not None:
                if self._fallback is None:
                    self._fallback = Aligner(self.config.fallback())
                timed = self._fallback._align_pcm(pcm, " ".join(words))
        if not timed:
            raise AlignError(f"{wav}: pocketsphinx could not align the transcript; check the text matches the speech")
        return merge_pauses([Phone(arpabet_to_ipa(name), start * FRAME_S, (start + length) * FRAME_S)
                             for name, start, length in timed])

    def _align_pcm(self, pcm: bytes, text: str) -> list[tuple[str, int, int]] | None:
        """(ARPAbet phone, start frame, frames) for ``text`` in 16 kHz ``pcm``; None if decoding fails."""
        try:
            self.decoder.set_align_text(text)
            self._decode(pcm)
            self.decoder.set_alignment()
            self._decode(pcm)
            return [(phone.name, phone.start, phone.duration)
                    for word in self.decoder.get_alignment() for phone in word] or None
        except (RuntimeError, ValueError):
            try:
                self.decoder.end_utt()          # leave the decoder ready for the next utterance
            except (RuntimeError, ValueError):
                pass
            return None

    def _decode(self, pcm: bytes) -> None:
        self.decoder.start_utt()
        self.decoder.process_raw(pcm, full_utt=True)
        self.decoder.end_utt()


@lru_cache(maxsize=1)
def _default_aligner() -> Aligner:
    return Aligner()


_default_lock = threading.Lock()


def align(wav: str | Path, text: str) -> list[Phone]:
    """Forced alignment of ``text`` to ``wav`` with the shared default :class:`Aligner`."""
    with _default_lock:
        aligner = _default_aligner()
    return aligner.align(wav, text)

