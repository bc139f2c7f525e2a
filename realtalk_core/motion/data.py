"""Training sequences for the motion model: audio features in, speech motion out.

DATA may be any mix of:

* a ``realtalk synth motion`` corpus (its ``corpus.json``), or any folder of Takes with audio
  (found recursively by their ``take.json``): targets are the Take's own blendshapes, and
  lips-together comes from the phone timings (``phones.json``) when present;
* a ``realtalk process`` dataset (``dataset.json``, real video with sound): its head-frame
  landmarks are solved into the rig's blendshapes through the subject's fitted rig (the
  neutral face is the median of its least-moving frames), and lips-together is a lip gap under
  ``closed_gap`` of the inter-ocular distance.

Only the neutral speech layer is learnt: Takes whose emotion track is not neutral are skipped
(the emotion model learns the rest), and so are frames of datasets flagged invalid.
Features are computed once and cached in ``cache.npz`` beside the checkpoint.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..audio import AudioFeatureConfig
from ..schema.channels import EMOTION_NAMES
from ..schema.errors import RealtalkError
from .room import RoomConfig, copy_seed, in_a_room
from .space import MotionSpace

NEUTRAL = EMOTION_NAMES.index("neutral")


class MotionDataError(RealtalkError):
    """Training data cannot be used; the message names the path and the fix."""


@dataclass
class Sequence_:
    """One training sequence."""

    name: str
    features: np.ndarray    # (T, F) float32
    motion: np.ndarray      # (T, C) float32
    closure: np.ndarray     # (T,) float32 in {0, 1}


@dataclass(frozen=True)
class Source:
    kind: str               # "take" | "dataset"
    path: str


def discover(paths: Sequence[str | Path]) -> list[Source]:
    """Every usable Take folder and dataset under ``paths``, in a stable order."""
    found: list[Source] = []
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            raise MotionDataError(f"{root}: no such file or folder; pass synth corpora, Take folders or datasets")
        if (root / "dataset.json").is_file():
            found.append(Source("dataset", str(root)))
            continue
        if (root / "take.json").is_file():
            found.append(Source("take", str(root)))
            continue
        for take_json in sorted(root.rglob("take.json")):
            if ".work" not in take_json.parts:
                found.append(Source("take", str(take_json.parent)))
        for dataset_json in sorted(root.rglob("dataset.json")):
            found.append(Source("dataset", str(dataset_json.parent)))
    if not found:
        raise MotionDataError(f"{', '.join(map(str, paths))}: holds no Takes or datasets; make some with "
                              "`realtalk synth motion` or `realtalk process`")
    return found


def load_take_sequence(path: str, space: MotionSpace, feature_config: AudioFeatureConfig,
                       neutral_only: bool = True, room: RoomConfig | None = None) -> list[Sequence_]:
    """One Take as training sequences: its own audio, then ``room.copies`` copies heard in a room
    (:mod:`.room`), named ``NAME@room1`` ...; none when it has no audio or is not neutral."""
    from ..audio import extract_features_long, load_audio
    from ..schema import load_take
    from ..synth.coarticulation import closure_frames
    from ..synth.takes import PHONES_JSON, read_phones

    take = load_take(path)
    if take.audio is None:
        return []
    emotion = take.tracks.emotion
    if neutral_only and float(emotion[:, NEUTRAL].min()) < 0.999:
        return []
    audio = load_audio(Path(path) / take.audio.path, target_rate=feature_config.sample_rate)
    frames, rate, name = take.frame_count, feature_config.sample_rate, Path(path).name
    heard = [audio.samples] + [in_a_room(audio.samples, rate, np.random.default_rng(copy_seed(name, k)), room)
                               for k in range(1, (room.copies if room else 0) + 1)]
    times = (np.arange(frames) + 0.0) / take.fps - float(take.audio.offset)
    if (Path(path) / PHONES_JSON).is_file():
        closure = closure_frames(read_phones(path), times)
    else:
        closure = _gap_closure(take.tracks.landmarks)
    closure = closure.astype(np.float32)
    motion = space.from_blendshapes(take.tracks.blendshapes)
    return [Sequence_(name if k == 0 else f"{name}@room{k}",
                      extract_features_long(samples, rate, take.fps, frames, feature_config).values, motion, closure)
            for k, samples in enumerate(heard)]


def _gap_closure(landmarks: np.ndarray, closed_gap: float = 0.02) -> np.ndarray:
    """(T,) bool: inner-lip gap below ``closed_gap`` x the inter-ocular distance."""
    from ..schema.channels import interocular
    from ..synth.closure import lip_gap_about

    neutral = np.median(landmarks, axis=0)
    iod = interocular(neutral)
    gaps = lip_gap_about(neutral, landmarks)
    return gaps < closed_gap * iod


def load_dataset_sequence(path: str, space: MotionSpace, feature_config: AudioFeatureConfig,
                          task: str | None) -> Sequence_ | None:
    """A processed real video as a training sequence (rig-solved blendshapes)."""
    from ..assets.canonical_mesh import load_canonical_mesh
    from ..process.dataset import load_dataset
    from ..rig import BlendshapeSolver, FaceRig, fit_rig

    dataset = load_dataset(path)
    if not dataset.has_audio or "audio_features" not in dataset.tracks:
        return None
    names = tuple(dataset.manifest["audio"]["feature_names"])
    if names != feature_config.names() or dataset.manifest["audio"].get("feature_config") != feature_config.to_json():
        raise MotionDataError(f"{path}: its audio features were made with other settings ({len(names)} "
                              "channels); re-run `realtalk process` on it")
    if task is None:
        raise MotionDataError(f"{path}: datasets need the face_landmarker.task asset; run `realtalk assets fetch`")
    valid = dataset.tracks["valid"].astype(bool)
    landmarks = dataset.tracks["landmarks"].astype(np.float64)
    motion_amount = np.linalg.norm(landmarks - np.median(landmarks[valid], axis=0), axis=(1, 2))
    calm = valid & (motion_amount <= np.percentile(motion_amount[valid], 20))
    fit = fit_rig(FaceRig.build(load_canonical_mesh(task)), np.median(landmarks[calm], axis=0))
    weights = BlendshapeSolver.for_rig(fit.rig).solve(landmarks)
    keep = np.flatnonzero(valid)
    return Sequence_(Path(path).name, dataset.tracks["audio_features"][keep].astype(np.float32),
                     space.from_blendshapes(weights[keep]), _gap_closure(landmarks[keep]).astype(np.float32))


def _load_one(source: Source, space: MotionSpace, feature_config: AudioFeatureConfig,
              task: str | None, room: RoomConfig | None) -> list[Sequence_]:
    if source.kind == "dataset":
        found = load_dataset_sequence(source.path, space, feature_config, task)
        return [] if found is None else [found]
    return load_take_sequence(source.path, space, feature_config, room=room)


def load_sequences(sources: Sequence[Source], space: MotionSpace, feature_config: AudioFeatureConfig,
                   task: str | None = None, workers: int = 1, on_done=None,
                   room: RoomConfig | None = None) -> list[Sequence_]:
    """Load every source (in parallel processes when ``workers`` > 1), keeping the order. Takes also
    give ``room.copies`` augmented copies each; real datasets are used as they are."""
    out: list[Sequence_] = []

    def collect(results: Iterable[list[Sequence_]]) -> None:
        for result in results:
            out.extend(result)
            if on_done is not None:
                on_done()

    if workers <= 1:
        collect(_load_one(s, space, feature_config, task, room) for s in sources)
    else:
        n = len(sources)
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            collect(pool.map(_load_one, sources, [space] * n, [feature_config] * n, [task] * n, [room] * n,
                             chunksize=8))
    return out


def save_cache(path: Path, sequences: Sequence[Sequence_], key: str) -> None:
    """All sequences in one npz (concatenated, with their lengths); ``key`` identifies the inputs."""
    from ..schema.fileio import atomic_write

    lengths = np.array([len(s.features) for s in sequences], np.int64)
    with atomic_write(path) as handle:
        np.savez(handle, key=np.array(key), names=np.array([s.name for s in sequences]), lengths=lengths,
                 features=np.concatenate([s.features for s in sequences]).astype(np.float32),
                 motion=np.concatenate([s.motion for s in sequences]).astype(np.float32),
                 closure=np.concatenate([s.closure for s in sequences]).astype(np.float32))


def load_cache(path: Path, key: str) -> list[Sequence_] | None:
    """The cached sequences, or None when the cache is missing, damaged or made from other inputs."""
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["key"]) != key:
                return None
            bounds = np.concatenate([[0], np.cumsum(data["lengths"])])
            f, m, c = data["features"], data["motion"], data["closure"]
            return [Sequence_(str(n), f[a:b], m[a:b], c[a:b])
                    for n, a, b in zip(data["names"], bounds[:-1], bounds[1:])]
    except (OSError, ValueError, KeyError):
        return None


def cache_key(sources: Sequence[Source], space: MotionSpace, feature_config: AudioFeatureConfig,
              room: RoomConfig | None = None) -> str:
    import hashlib

    text = json.dumps({"sources": [[s.kind, s.path] for s in sources], "channels": space.channels,
                       "features": feature_config.to_json(), "room": room.to_json() if room else None},
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()
