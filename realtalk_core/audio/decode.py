"""Any speech file -> mono float32 samples at 16 kHz, streamed so long files stay small in memory.

WAV, FLAC, OGG and (where libsndfile has it) MP3 are read by soundfile, ``block_s`` seconds at a
time: each block is downmixed (mean of the channels) and resampled by a polyphase filter
(``scipy.signal.resample_poly``) with enough overlap that the blocks join seamlessly; the result is
that of resampling the whole file at once. Anything else (M4A, AAC, video files, or a file that
libsndfile refuses) goes through the project's ffmpeg, which downmixes and resamples itself and
whose stdout is read in chunks; ``rematrix_maxval=1`` scales its downmix so that the gains sum
to one (stereo becomes the mean of the two channels, as with soundfile, rather than ffmpeg's
default (L + R) / sqrt(2)). Only the 16 kHz result is ever held whole (an hour: ~230 MB).
soundfile, scipy and imageio-ffmpeg are imported when a file is decoded, not with this module.
"""

from __future__ import annotations

import math
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .checks import AudioError

_REEXPORT = "re-export it as WAV, FLAC, MP3 or M4A"


@dataclass(frozen=True)
class DecodeConfig:
    """How :func:`load_audio` streams a file."""

    block_s: float = 30.0               #: seconds of source audio read, downmixed and resampled at a time
    pipe_chunk_bytes: int = 1 << 20     #: bytes read from ffmpeg's stdout at a time


@dataclass(frozen=True)
class DecodedAudio:
    """A decoded file: mono float32 samples at ``sample_rate``, and what the source was."""

    samples: np.ndarray     #: (N,) float32, mono, nominally in [-1, 1]
    sample_rate: int        #: the rate of ``samples`` (the requested target rate)
    source_rate: int        #: the file's own sample rate
    channels: int           #: the file's channel count (0 when ffmpeg did not say)
    duration: float         #: seconds, len(samples) / sample_rate
    path: Path
    decoder: str = "soundfile"      #: "soundfile" or "ffmpeg"


def load_audio(path: str | Path, target_rate: int = 16000, config: DecodeConfig | None = None) -> DecodedAudio:
    """Decode ``path`` to mono float32 at ``target_rate``; raise :class:`AudioError` naming the file if it can't."""
    config = config or DecodeConfig()
    if target_rate <= 0:
        raise ValueError(f"target_rate must be positive, got {target_rate}")
    path = Path(path)
    if not path.exists():
        raise AudioError(path, "no such audio file; check the path")
    if path.is_dir():
        raise AudioError(path, "is a directory, not an audio file; give a WAV, FLAC, OGG, MP3 or M4A file")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise AudioError(path, f"cannot be read ({error.strerror}); check the file's permissions") from None
    if size == 0:
        raise AudioError(path, f"the file is empty (0 bytes); {_REEXPORT}")
    try:
        return _decode_soundfile(path, target_rate, config)
    except _NotForSoundfile as refusal:
        return _decode_ffmpeg(path, target_rate, config, str(refusal))


class _NotForSoundfile(Exception):
    """soundfile is missing or cannot read this file: ffmpeg gets a turn."""


class _Resampler:
    """Polyphase resampling of a stream fed in blocks; the output equals ``resample_poly`` of the whole.

    Blocks are cut at multiples of ``down`` input samples (where output samples fall on input samples)
    and resampled with ``context`` real input samples either side, more than the filter's reach, so
    every output sample sees exactly the inputs (or the zero padding at the true ends) it would see
    if the whole stream were resampled at once.
    """

    def __init__(self, source_rate: int, target_rate: int) -> None:
        from scipy.signal import resample_poly

        self._resample = resample_poly
        common = math.gcd(source_rate, target_rate)
        self.up, self.down = target_rate // common, source_rate // common
        reach = 10 * max(self.up, self.down) / self.up          # resample_poly's filter half-length, in inputs
        self.context = math.ceil((reach + 2) / self.down) * self.down
        self._left = np.zeros(0)        # up to `context` inputs already resampled, before `_pending`
        self._pending = np.zeros(0)     # inputs not resampled yet

    def push(self, block: np.ndarray) -> np.ndarray:
        """Add (n,) float64 inputs; return the outputs whose inputs (and context) are now all known."""
        self._pending = np.concatenate([self._pending, block])
        ready = (len(self._pending) - self.context) // self.down * self.down
        if ready <= 0:
            return np.zeros(0)
        out = self._run(self._pending[:ready + self.context], ready * self.up // self.down)
        self._left = np.concatenate([self._left, self._pending[:ready]])[-self.context:]
        self._pending = self._pending[ready:]
        return out

    def finish(self) -> np.ndarray:
        """The remaining outputs (the end of the stream is zero padded, as for the whole)."""
        return self._run(self._pending, None)

    def _run(self, inputs: np.ndarray, count: int | None) -> np.ndarray:
        if not len(inputs):
            return np.zeros(0)
        skip = len(self._left) * self.up // self.down
        out = self._resample(np.concatenate([self._left, inputs]), self.up, self.down)
        return out[skip:] if count is None else out[skip:skip + count]


def _decode_soundfile(path: Path, target_rate: int, config: DecodeConfig) -> DecodedAudio:
    try:
        import soundfile
    except ImportError:
        raise _NotForSoundfile("soundfile is not installed") from None
    out = bytearray()
    try:
        with soundfile.SoundFile(str(path)) as handle:
            rate, channels = handle.samplerate, handle.channels
            try:
                resampler = _Resampler(rate, target_rate) if rate != target_rate else None
            except ImportError:
                raise _NotForSoundfile("scipy, which resamples, is not installed") from None
            frames = max(int(config.block_s * rate), resampler.context if resampler else 1)
            while len(block := handle.read(frames, dtype="float32", always_2d=True)):    # (n, channels)
                mono = block[:, 0].astype(np.float64) if channels == 1 else block.mean(axis=1, dtype=np.float64)
                out += (resampler.push(mono) if resampler else mono).astype(np.float32).tobytes()
            if resampler:
                out += resampler.finish().astype(np.float32).tobytes()
    except soundfile.SoundFileError as error:
        raise _NotForSoundfile(str(error).strip()) from None
    return _result(out, target_rate, rate, channels, path, "soundfile")


def _decode_ffmpeg(path: Path, target_rate: int, config: DecodeConfig, refusal: str) -> DecodedAudio:
    try:
        import imageio_ffmpeg

        executable = imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        raise AudioError(path, f"cannot be decoded ({refusal}) and ffmpeg is missing; install it with "
                               "pip install 'realtalk[media]' or convert the file to WAV") from None
    command = [executable, "-nostdin", "-hide_banner", "-nostats", "-i", f"file:{path.resolve()}",
               "-map", "0:a:0", "-vn", "-sn", "-dn", "-af", "aresample=rematrix_maxval=1",
               "-ac", "1", "-ar", str(target_rate), "-f", "f32le", "-"]
    out = bytearray()
    with tempfile.TemporaryFile() as log:      # a file, not a pipe: a chatty stderr cannot stall stdout
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
        try:
            while chunk := process.stdout.read(config.pipe_chunk_bytes):
                out += chunk
            code = process.wait()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    if code != 0 and "matches no streams" in text:
        raise AudioError(path, "holds no audio stream; give a file with a sound track")
    if code != 0:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        reason = lines[-1][:160] if lines else f"ffmpeg exit code {code}"
        raise AudioError(path, f"the audio could not be decoded ({reason}); {_REEXPORT}")
    del out[len(out) // 4 * 4:]
    rate, channels = _source_stream(text)
    return _result(out, target_rate, rate or target_rate, channels, path, "ffmpeg")


def _source_stream(log: str) -> tuple[int, int]:
    """(sample rate, channels) of the first input audio stream in ffmpeg's log (0 where it does not say)."""
    match = re.search(r"Stream #\d+:\d+\S*: Audio: [^\n]*?(\d+) Hz, ([^,\n]+)", log)
    if not match:
        return 0, 0
    layout = match.group(2).strip()
    named = {"mono": 1, "stereo": 2, "downmix": 2, "quad": 4, "hexagonal": 6, "octagonal": 8}
    if layout in named:
        return int(match.group(1)), named[layout]
    if count := re.match(r"(\d+) channels", layout):
        return int(match.group(1)), int(count.group(1))
    if numbers := re.match(r"(\d+)\.(\d+)", layout):          # 5.1, 7.1(wide), ...
        return int(match.group(1)), int(numbers.group(1)) + int(numbers.group(2))
    return int(match.group(1)), 0


def _result(data: bytearray, rate: int, source_rate: int, channels: int, path: Path, decoder: str) -> DecodedAudio:
    samples = np.frombuffer(data, dtype="<f4")      # a view of the bytearray: no second copy of the samples
    return DecodedAudio(samples=samples, sample_rate=rate, source_rate=source_rate, channels=channels,
                        duration=len(samples) / rate, path=path, decoder=decoder)
