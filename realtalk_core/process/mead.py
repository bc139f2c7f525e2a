"""``realtalk process mead ROOT --speaker ID --out DATASET``: one MEAD speaker -> labelled datasets.

MEAD's layout (the released archives, unpacked)::

    ROOT/<speaker>/video/front/<emotion>/level_<n>/<nnn>.mp4
    ROOT/<speaker>/audio/<emotion>/level_<n>/<nnn>.m4a

Every front-camera clip becomes a dataset in ``DATASET/clips/<emotion>_level_<n>_<nnn>``,
with the clip's own .m4a as its sound when present. ``DATASET/mead.json`` (written last)
lists the clips with their emotion and level labels, and pairs each emotional clip with
the neutral clip of the same sentence number where one exists. Finished clips are kept
when the command is run again, so a stopped run resumes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..progress import Progress
from ..schema.fileio import atomic_write
from .dataset import MANIFEST
from .errors import ProcessError, ResumableError
from .pipeline import ProcessConfig, process_video

COLLECTION = "mead.json"
#: MEAD's folder names -> our emotion channel names.
MEAD_EMOTIONS = {"angry": "angry", "contempt": "contempt", "disgusted": "disgust", "fear": "fear",
                 "happy": "happy", "neutral": "neutral", "sad": "sad", "surprised": "surprise"}
_LEVEL = re.compile(r"^level_(\d+)$")
_CLIP = re.compile(r"^(\d{3})\.mp4$")


@dataclass(frozen=True)
class MeadClip:
    speaker: str
    emotion: str        #: our channel name
    folder: str         #: MEAD's emotion folder name
    level: int
    sentence: str       #: "001" ...
    video: Path
    audio: Path | None

    @property
    def clip_id(self) -> str:
        return f"{self.emotion}_level_{self.level}_{self.sentence}"


def find_clips(root: Path, speaker: str) -> list[MeadClip]:
    """Every front-camera clip of ``speaker``, sorted by emotion, level, sentence."""
    if not root.is_dir():
        raise ProcessError(f"{root}: no such folder; give the folder that holds the MEAD speaker folders")
    base = root / speaker
    if not base.is_dir():
        speakers = sorted(p.name for p in root.iterdir() if (p / "video").is_dir())
        hint = f"speakers found: {', '.join(speakers[:12])}" if speakers else "no speaker folders found there"
        raise ProcessError(f"{base}: no such speaker folder ({hint})")
    clips = []
    front = base / "video" / "front"
    for emotion_dir in sorted(p for p in front.glob("*") if p.is_dir()):
        emotion = MEAD_EMOTIONS.get(emotion_dir.name)
        if emotion is None:
            continue
        for level_dir in sorted(p for p in emotion_dir.iterdir() if p.is_dir() and _LEVEL.match(p.name)):
            level = int(_LEVEL.match(level_dir.name).group(1))
            for video in sorted(level_dir.glob("*.mp4")):
                match = _CLIP.match(video.name)
                if not match:
                    continue
                audio = base / "audio" / emotion_dir.name / level_dir.name / f"{match.group(1)}.m4a"
                clips.append(MeadClip(speaker, emotion, emotion_dir.name, level, match.group(1), video,
                                      audio if audio.is_file() else None))
    if not clips:
        raise ProcessError(f"{front}: no clips found (expected <emotion>/level_<n>/<nnn>.mp4 under it)")
    return clips


def process_mead(root: Path, speaker: str, out: Path, task: Path, progress: Progress,
                 config: ProcessConfig | None = None, overwrite: bool = False) -> Path:
    """Process every clip of ``speaker``; returns the path of ``mead.json``."""
    clips = find_clips(Path(root), speaker)
    out = Path(out)
    if (out / COLLECTION).exists() and not overwrite:
        raise ProcessError(f"{out}: already holds a finished MEAD collection; pass --overwrite to rebuild it")
    entries, failed = [], []
    for clip in clips:
        target = out / "clips" / clip.clip_id
        if (target / MANIFEST).is_file() and not overwrite:
            entries.append(clip)
            continue
        labels = {"dataset": "MEAD", "speaker": speaker, "emotion": clip.emotion, "mead_emotion": clip.folder,
                  "level": clip.level, "sentence": clip.sentence}
        try:
            process_video(clip.video, target, task, progress, config, audio=clip.audio, labels=labels,
                          overwrite=overwrite)
        except ResumableError:
            raise
        except ProcessError as err:
            failed.append({"clip": clip.clip_id, "error": str(err)})
            progress.warning(f"skipped {clip.video}: {err}")
            continue
        entries.append(clip)
    if not entries:
        raise ProcessError(f"{root / speaker}: none of the {len(clips)} clips could be processed "
                           f"(first error: {failed[0]['error'] if failed else 'unknown'})")
    neutral = {c.sentence: c.clip_id for c in entries if c.emotion == "neutral"}
    collection = {
        "format": "realtalk-mead", "version": 1, "speaker": speaker,
        "clips": [{"id": c.clip_id, "path": f"clips/{c.clip_id}", "emotion": c.emotion, "level": c.level,
                   "sentence": c.sentence, "has_own_audio": c.audio is not None,
                   "neutral_pair": None if c.emotion == "neutral" else neutral.get(c.sentence)} for c in entries],
        "failed": failed,
    }
    with atomic_write(out / COLLECTION, "w") as handle:
        json.dump(collection, handle, indent=1)
    return out / COLLECTION
