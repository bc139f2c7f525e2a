"""Speech audio file -> a generated Take folder: the steps ``realtalk generate AUDIO`` and ``realtalk demo`` share."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..progress import Progress
from ..schema import AudioRef
from ..schema.emotion_curves import EmotionCurves
from ..schema.io import attach_audio
from .pipeline import GenerateConfig, build_take, neutral_layer, write_generated
from .subject import SubjectIdentity

#: Audio formats copied into the Take as they are (every front end plays them); others are stored decoded.
COPIED_AUDIO = (".wav", ".flac", ".ogg", ".mp3")


def generate_from_audio(audio: Path, out: Path, curves: EmotionCurves | None, motion_model, emotion_model,
                        subject: SubjectIdentity, config: GenerateConfig, progress: Progress,
                        overwrite: bool = False) -> Path:
    """Decode and check ``audio``, make the neutral layer, apply ``curves`` (default neutral) and write the
    Take, its ``layers.npz`` and ``rig.npz`` into ``out``. Stages: audio, motion, emotion, write."""
    from ..audio import check_audio, load_audio

    with progress.stage("audio", total=1) as stage:
        report = check_audio(load_audio(audio, motion_model.features.sample_rate))
        for warning in report.warnings:
            progress.warning(warning)
        stage.advance()
    with progress.stage("motion", total=1) as stage:
        layer = neutral_layer(report.audio.samples, report.audio.sample_rate, motion_model, subject, config)
        stage.advance()
    with progress.stage("emotion", total=1) as stage:
        if overwrite and out.is_dir():
            shutil.rmtree(out)
        out.mkdir(parents=True, exist_ok=True)
        ref = _attach(out, audio, report)
        take = build_take(layer, curves or EmotionCurves.from_preset("neutral"), emotion_model, subject, config,
                          ref, {"audio_source": audio.name, "audio_report": _report_json(report),
                                "motion_model_sha256": motion_model.sha256})
        stage.advance()
    with progress.stage("write", total=1) as stage:
        written = write_generated(take, layer, out, subject)
        stage.advance()
    return written


def _report_json(report) -> dict:
    data = report.to_json()
    data.pop("path", None)
    return data


def _attach(out: Path, source: Path, report) -> AudioRef:
    """Copy the audio into the Take (formats every front end plays), else store the decoded 16 kHz WAV."""
    if source.suffix.lower() in COPIED_AUDIO:
        return attach_audio(out, source, report.audio.source_rate, name="audio" + source.suffix.lower())
    from ..audio.wav import write_pcm_wav

    wav = write_pcm_wav(report.audio.samples, report.audio.sample_rate, out / "audio.wav")
    return attach_audio(out, wav, report.audio.sample_rate, name="audio.wav")
