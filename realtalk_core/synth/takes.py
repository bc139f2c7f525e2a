"""A synthetic performance written as a Take, with its phone timings beside it.

The Take folder holds the usual ``take.json`` + ``tracks.npz`` + ``audio.wav``, plus
``phones.json``: the IPA phones with their times in seconds, the ground truth that the
speech models and the lip-sync measurements read. ``take.json``'s provenance names the
generator, seed, voice, text and emotion curve, so every Take can be regenerated.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from .. import __version__
from ..phonetics.espeak import Utterance, write_wav
from ..phonetics.phones import Phone
from ..rig import FaceRig
from ..schema import SubjectRef, Take, Tracks, attach_audio, save_take
from ..schema.errors import RealtalkError
from ..schema.fileio import atomic_write, resolve_inside
from .curves import EmotionCurve
from .performance import Performance

PHONES_JSON = "phones.json"
PHONES_FORMAT = "realtalk-phones"
AUDIO_NAME = "audio.wav"
#: The subject name synthetic Takes are made for: the canonical face rig.
SYNTH_SUBJECT = "synthetic-canonical"


def write_phones(path: Path, phones: Sequence[Phone], source: str) -> None:
    """``phones.json``: IPA symbols with start and end seconds, written atomically."""
    data = {"format": PHONES_FORMAT, "version": 1, "alphabet": "ipa", "source": source,
            "phones": [[p.symbol, round(float(p.start), 6), round(float(p.end), 6)] for p in phones]}
    with atomic_write(path, "w") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=0)
        handle.write("\n")


def read_phones(take_dir: str | Path) -> list[Phone]:
    """The phones of a synthetic Take; a one-line error if the file is missing or malformed."""
    path = Path(take_dir) / PHONES_JSON
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != PHONES_FORMAT:
            raise ValueError(f"format is not {PHONES_FORMAT}")
        phones = [Phone(str(s), float(a), float(b)) for s, a, b in data["phones"]]
    except FileNotFoundError:
        raise RealtalkError(f"{path}: missing; this Take has no phone timings "
                            "(only `realtalk synth` Takes do)") from None
    except (ValueError, KeyError, TypeError) as error:
        raise RealtalkError(f"{path}: malformed phone timings ({error}); regenerate the Take") from None
    if any(p.end < p.start for p in phones) or any(b.start < a.start for a, b in zip(phones, phones[1:])):
        raise RealtalkError(f"{path}: phone times are not in order; regenerate the Take")
    return phones


def write_take(out_dir: Path, rig: FaceRig, performance: Performance, utterance: Utterance,
               curve: EmotionCurve, provenance: dict[str, Any]) -> Path:
    """Write one synthetic Take (audio first, take.json last); returns the folder."""
    out_dir.mkdir(parents=True, exist_ok=True)
    wav = write_wav(utterance, resolve_inside(out_dir, AUDIO_NAME))
    audio = attach_audio(out_dir, wav, utterance.sample_rate, offset=0.0, name=AUDIO_NAME)
    engine = utterance.voice.to_dict().get("engine", "espeak-ng")
    write_phones(out_dir / PHONES_JSON, utterance.phones, source=engine)
    tracks = Tracks(landmarks=performance.landmarks(rig).astype("float32"),
                    blendshapes=performance.blendshapes, emotion=performance.emotion,
                    head_pose=performance.head_pose)
    take = Take(fps=performance.fps, tracks=tracks, audio=audio, subject=SubjectRef(SYNTH_SUBJECT),
                provenance={"tool": "realtalk synth motion", "version": __version__,
                            "text": utterance.text, "voice": utterance.voice.to_dict(),
                            "emotion_curve": curve.to_json(), "phones": PHONES_JSON, **provenance})
    return save_take(take, out_dir)
