"""libespeak-ng through ctypes: find the library, initialise it once, run one synthesis.

The library is taken from the ``espeakng_loader`` wheel (with its own data) when installed,
else from the system (``libespeak-ng.so.1``, Debian's espeak-ng package). espeak-ng keeps
process-global state, so it is initialised once per process (AUDIO_OUTPUT_SYNCHRONOUS, phoneme
events with IPA names) and every call holds one lock and sets the voice and every parameter
again. The synth callback copies PCM samples and PHONEME events (type 7: IPA name in
``id.string``, start in ms in ``audio_position``).

espeak-ng is not reproducible call to call: its pitch flutter phase (a static variable in
wavegen.c) carries over between utterances, and re-initialising does not reset it. So
:meth:`Engine.run_isolated` forks: the parent holds the initialised, never-used library and each
child synthesises once from that same state and pipes the result back (about 2 ms per fork).
On Python 3.12+ forking a threaded process warns; this project runs on 3.11.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..schema.errors import RealtalkError
from .voices import VoiceError, VoiceSpec

_Run = tuple[np.ndarray, list[tuple[int, str]]]

SAMPLE_RATE = 22050
#: Seed for espeak-ng's breath-noise generator, set before every call.
RANDOM_SEED = 1

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_PHONEME_EVENTS = 0x1
_INITIALIZE_PHONEME_IPA = 0x2
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_EVENT_LIST_TERMINATED = 0
_EVENT_PHONEME = 7
_PARAM_RATE, _PARAM_VOLUME, _PARAM_PITCH, _PARAM_RANGE, _PARAM_PUNCTUATION, _PARAM_CAPITALS, _PARAM_WORDGAP = \
    1, 2, 3, 4, 5, 6, 7


class EspeakError(RealtalkError):
    """libespeak-ng is missing, failed, or gave inconsistent output."""


class _Event(ctypes.Structure):
    """espeak_EVENT from speak_lib.h (the id union is read as its 8-byte string member)."""

    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                                  ctypes.POINTER(_Event))


def _library_candidates() -> list[tuple[str, str | None]]:
    """(library path, data path or None for the library's default), best first."""
    candidates: list[tuple[str, str | None]] = []
    try:
        import espeakng_loader
        candidates.append((str(espeakng_loader.get_library_path()), str(espeakng_loader.get_data_path())))
    except (ImportError, OSError, AttributeError):
        pass
    candidates.append(("libespeak-ng.so.1", None))
    found = ctypes.util.find_library("espeak-ng")
    if found:
        candidates.append((found, None))
    return candidates


class Engine:
    """The loaded library, initialised once, with the callback kept alive and one lock for all calls."""

    def __init__(self) -> None:
        errors = []
        for lib_path, data_path in _library_candidates():
            try:
                self.lib = ctypes.CDLL(lib_path)
            except OSError as err:
                errors.append(str(err))
                continue
            self.library_path = lib_path
            break
        else:
            raise EspeakError(f"libespeak-ng not found ({'; '.join(errors)}); install it with "
                              "`pip install espeakng-loader` or `apt-get install espeak-ng`")
        lib = self.lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                     ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        lib.espeak_Info.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
        lib.espeak_Info.restype = ctypes.c_char_p
        options = _INITIALIZE_PHONEME_EVENTS | _INITIALIZE_PHONEME_IPA
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                     data_path.encode() if data_path else None, options)
        if rate != SAMPLE_RATE:
            raise EspeakError(f"{self.library_path}: espeak_Initialize returned {rate}, expected {SAMPLE_RATE} Hz; "
                              "check the espeak-ng data folder is installed")
        path = ctypes.c_char_p()
        self.version = (lib.espeak_Info(ctypes.byref(path)) or b"?").decode()
        self.data_path = Path((path.value or b"").decode())
        self.lock = threading.Lock()
        self._chunks: list[np.ndarray] = []
        self._events: list[tuple[int, str]] = []
        self._callback = _SynthCallback(self._on_synth)   # must outlive every espeak_Synth call
        lib.espeak_SetSynthCallback(self._callback)
        # espeak-ng draws noise and jitter from a random generator: its own in 1.52+
        # (espeak_ng_SetRandSeed), the C library's rand() before. Both are re-seeded per call.
        self._set_seed = getattr(lib, "espeak_ng_SetRandSeed", None)
        if self._set_seed is not None:
            self._set_seed.argtypes = [ctypes.c_long]
        libc_name = ctypes.util.find_library("c")
        self._srand = ctypes.CDLL(libc_name).srand if libc_name else None

    def _on_synth(self, wav, count, events) -> int:  # noqa: ANN001 (ctypes pointers)
        """espeak-ng's synth callback: copy the samples and phoneme events; 0 means go on."""
        if count > 0 and wav:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        index = 0
        while events and events[index].type != _EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == _EVENT_PHONEME:
                name = bytes(event.id).split(b"\0", 1)[0].decode("utf-8", "replace")
                self._events.append((event.audio_position, name))
            index += 1
        return 0

    def has_variant(self, variant: str) -> bool:
        return (self.data_path / "voices" / "!v" / variant).is_file()

    def run(self, text: str, voice: VoiceSpec) -> _Run:
        """int16 samples and (ms, IPA name) phoneme events for ``text`` in ``voice``, in this process.

        Not bit-reproducible on its own: espeak-ng keeps its pitch-flutter phase in a static
        variable that neither a call nor re-initialisation resets, so repeated calls differ
        slightly. :meth:`run_isolated` is reproducible.
        """
        with self.lock:
            return self._synth(text, voice)

    def _synth(self, text: str, voice: VoiceSpec) -> _Run:
        """One synthesis; the caller holds the lock (or is a forked child)."""
        if voice.variant and not self.has_variant(voice.variant):
            raise VoiceError(f"espeak-ng has no voice variant {voice.variant!r} in {self.data_path}/voices/!v; "
                             "use one of VARIANTS (m1-m7, f1-f5)")
        if self.lib.espeak_SetVoiceByName(voice.espeak_name.encode()) != 0:
            raise VoiceError(f"espeak-ng ({self.library_path}) has no voice {voice.espeak_name!r}; "
                             "use a language from realtalk_core.phonetics.LANGUAGES")
        for param, value in ((_PARAM_RATE, voice.rate), (_PARAM_VOLUME, voice.volume),
                             (_PARAM_PITCH, voice.pitch), (_PARAM_RANGE, voice.pitch_range),
                             (_PARAM_PUNCTUATION, 0), (_PARAM_CAPITALS, 0), (_PARAM_WORDGAP, 0)):
            self.lib.espeak_SetParameter(param, value, 0)
        if self._set_seed is not None:
            self._set_seed(RANDOM_SEED)
        if self._srand is not None:
            self._srand(RANDOM_SEED)
        self._chunks, self._events = [], []
        data = text.encode("utf-8")
        status = self.lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, _CHARS_UTF8 | _ENDPAUSE, None, None)
        self.lib.espeak_Synchronize()
        chunks, events = self._chunks, self._events
        self._chunks, self._events = [], []
        if status != 0:
            raise EspeakError(f"espeak_Synth failed with code {status} for {text[:40]!r}")
        samples = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
        return samples, events

    def run_isolated(self, text: str, voice: VoiceSpec) -> _Run:
        """:meth:`run` in a forked child, so every call starts from the same pristine library state.

        The parent only initialises espeak-ng and never synthesises, so the same text and voice
        give the same samples in any process and in any order. A crash inside espeak-ng becomes an
        EspeakError instead of killing this process. Where fork is missing, :meth:`run` is used.
        """
        if not hasattr(os, "fork"):
            return self.run(text, voice)
        with self.lock:
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:                                    # child: synthesise, report, exit
                os.close(read_fd)
                os._exit(self._child(text, voice, write_fd))
            os.close(write_fd)
            with os.fdopen(read_fd, "rb") as pipe:
                payload = pipe.read()
            _, wait_status = os.waitpid(pid, 0)
        return self._decode(payload, os.waitstatus_to_exitcode(wait_status), text)

    def _child(self, text: str, voice: VoiceSpec, write_fd: int) -> int:
        try:
            try:
                samples, events = self._synth(text, voice)
                body = json.dumps({"events": events}).encode() + b"\0" + samples.astype("<i2").tobytes()
                code = 0
            except RealtalkError as err:
                body, code = json.dumps({"error": str(err), "voice": isinstance(err, VoiceError)}).encode(), 3
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(body)
            return code
        except BaseException:                               # never return into the parent's code
            return 4

    @staticmethod
    def _decode(payload: bytes, exit_code: int, text: str) -> _Run:
        head, _, pcm = payload.partition(b"\0")
        try:
            info = json.loads(head.decode())
        except (UnicodeDecodeError, ValueError):
            info = {}
        if exit_code == 3 and "error" in info:
            raise (VoiceError if info.get("voice") else EspeakError)(info["error"])
        if exit_code != 0 or "events" not in info or len(pcm) % 2:
            raise EspeakError(f"espeak-ng crashed (exit code {exit_code}) on {text[:40]!r}; "
                              "simplify the text or try another voice")
        return np.frombuffer(pcm, dtype="<i2").astype(np.int16), [(int(ms), str(name)) for ms, name in info["events"]]


_init_lock = threading.Lock()


@lru_cache(maxsize=1)
def _cached_engine() -> Engine:
    return Engine()


def engine() -> Engine:
    """The process's espeak-ng engine, loaded and initialised on first use."""
    with _init_lock:
        return _cached_engine()
