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
                       neutral_only: bool = True) -> Sequence_ | None:
    """One Take as a training sequence, or None when it has no audio or is not neutral."""
    from ..audio import extract_features_long, load_audio
    from ..schema import load_take
    from ..synth.coarticulation import closure_frames
    from ..synth.takes import PHONES_JSON, read_phones

    take = load_take(path)
    if take.audio is None:
        return None
    emotion = take.tracks.emotion
    if neutral_only and float(emotion[:, NEUTRAL].min()) < 0.999:
        return None
    audio = load_audio(Path(path) / take.audio.path, target_rate=feature_config.sample_rate)
    frames = take.frame_count
    features = extract_features_long(audio.samples, feature_config.sample_rate, take.fps, frames, feature_config)
    times = (np.arange(frames) + 0.0) / take.fps - float(take.audio.offset)
    if (Path(path) / PHONES_JSON).is_file():
        closure = closure_frames(read_phones(path), times)
    else:
        closure = _gap_closure(take.tracks.landmarks)
    return Sequence_(Path(path).name, features.values, space.from_blendshapes(take.tracks.blendshapes),
                     closure.astype(np.float32))


def _gap_closure(landmarks: np.ndarray, closed_gap: float = 0.02) -> np.ndarray:
    """(T,) bool: inner-lip gap below ``closed_gap`` x the inter-ocular distance."""
    from ..schema.channels import INTEROCULAR_68, LANDMARKS_68
    from ..synth.closure import lip_gap_about

    neutral = np.median(landmarks, axis=0)
    left, right = (neutral[LANDMARKS_68[i]] for i in INTEROCULAR_68)
    iod = float(np.linalg.norm(left - right))
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
    if names != feature_config.names():
        raise MotionDataError(f"{path}: its audio features ({len(names)} channels) were made with other "
                              "settings; re-run `realtalk process` on it")
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
              task: str | None) -> Sequence_ | None:
    if source.kind == "dataset":
        return load_dataset_sequence(source.path, space, feature_config, task)
    return load_take_sequence(source.path, space, feature_config)


def load_sequences(sources: Sequence[Source], space: MotionSpace, feature_config: AudioFeatureConfig,
                   task: str | None = None, workers: int = 1, on_done=None) -> list[Sequence_]:
    """Load every source (in parallel processes when ``workers`` > 1), keeping the order."""
    out: list[Sequence_] = []

    def collect(results: Iterable[Sequence_ | None]) -> None:
        for result in results:
            if result is not None:
                out.append(result)
            if on_done is not None:
                on_done()

    if workers <= 1:
        collect(_load_one(s, space, feature_config, task) for s in sources)
    else:
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            collect(pool.map(_load_one, sources, [space] * len(sources), [feature_config] * len(sources),
                             [task] * len(sources), chunksize=8))
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


def cache_key(sources: Sequence[Source], space: MotionSpace, feature_config: AudioFeatureConfig) -> str:
    import hashlib

    text = json.dumps({"sources": [[s.kind, s.path] for s in sources], "channels": space.channels,
                       "features": feature_config.to_json()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()
