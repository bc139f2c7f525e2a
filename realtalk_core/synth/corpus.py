"""``realtalk synth motion``: a corpus of ground-truth talking-face Takes.

Item ``i`` of a corpus depends only on ``(seed, i)``: its language, voice, sentences, emotion
curve and every random stream. Items are made in index order (in parallel worker processes)
until their total length reaches the requested minutes; so the same seed and minutes give
the same corpus, whatever the number of workers, and an interrupted run resumes where it
stopped (an item is finished when its record under ``.work/items/`` exists).

Layout::

    OUT/corpus.json                        written last: settings, and one record per Take
    OUT/takes/000123/                      an utterance with a random emotion curve
    OUT/pairs/<speaker>/<emotion>/level_<n>/000123/
                                           paired items (MEAD-like): the same utterance and voice,
                                           neutral and every emotion at each intensity level
    OUT/.work/                             settings and finished-item records (resume)
"""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..assets.canonical_mesh import load_canonical_mesh
from ..phonetics.espeak import synthesize
from ..phonetics.flite import FLITE_VOICES, sample_flite_voice, synthesize_flite
from ..phonetics.sentences import make_sentence
from ..phonetics.voices import LANGUAGES, VoiceSampling, sample_voice
from ..progress import Progress
from ..rig import FaceRig
from ..schema.channels import EMOTION_NAMES
from ..schema.errors import RealtalkError
from ..schema.fileio import atomic_write
from .curves import EXPRESSIVE, EmotionCurve, constant, random_curve
from .performance import PerformanceConfig, perform
from .takes import write_take

CORPUS_JSON = "corpus.json"
CORPUS_FORMAT = "realtalk-synth-motion"
WORK = ".work"


@dataclass(frozen=True)
class MotionCorpusConfig:
    """What ``realtalk synth motion`` makes. Everything here is part of the corpus's identity."""

    minutes: float = 60.0                      #: total length of the main Takes
    seed: int = 0
    languages: tuple[str, ...] = tuple(LANGUAGES)   #: espeak-ng languages to draw voices from
    variants: tuple[str, ...] = ()             #: voices to draw from (empty: all): espeak-ng variants, or flite voices
    engine: str = "espeak"                     #: "espeak" (every language) or "flite" (English, real speakers)
    sentences: tuple[int, int] = (1, 2)        #: sentences per Take (inclusive range)
    neutral_share: float = 0.2                 #: Takes with no emotion at all
    pair_share: float = 0.05                   #: utterances that also get the full paired set
    pair_levels: tuple[float, ...] = (0.33, 0.66, 1.0)   #: intensities of the paired set (MEAD's 3 levels)
    performance: PerformanceConfig = field(default_factory=PerformanceConfig)

    def __post_init__(self) -> None:
        if self.engine not in ("espeak", "flite"):
            raise SynthError(f"unknown speech engine {self.engine!r}; use espeak or flite")
        if self.engine == "flite" and set(self.languages) != {"en-us"}:
            raise SynthError("flite speaks American English only; pass --languages en-us (or leave it out)")

    def to_json(self) -> dict[str, Any]:
        data = json.loads(json.dumps(asdict(self)))
        if self.engine == "espeak":
            del data["engine"]           # corpora made before flite existed keep their identity
        return data


@dataclass(frozen=True)
class ItemResult:
    """The record of one finished item."""

    index: int
    seconds: float
    record: dict[str, Any]


class SynthError(RealtalkError):
    """A synth run cannot go on; the message says why and what to do."""


def item_name(index: int) -> str:
    return f"{index:06d}"


@lru_cache(maxsize=2)
def _rig(task: str) -> FaceRig:
    return FaceRig.build(load_canonical_mesh(task))


def make_item(out: str, task: str, config: MotionCorpusConfig, index: int) -> ItemResult:
    """Make item ``index`` (all its Takes) and write its record; safe to call in a worker process."""
    root, rig = Path(out), _rig(task)
    rng = np.random.default_rng(np.random.SeedSequence([config.seed, index]))
    if config.engine == "flite":
        voice = sample_flite_voice(rng, config.variants or FLITE_VOICES)
    else:
        voice = sample_voice(rng, config.languages, VoiceSampling(variants=config.variants))
    language = voice.language
    count = int(rng.integers(config.sentences[0], config.sentences[1] + 1))
    text = " ".join(make_sentence(rng, language) for _ in range(count))
    paired = bool(rng.random() < config.pair_share)
    perf_seed = [config.seed, index, 1]
    utterance = synthesize_flite(text, voice) if config.engine == "flite" else synthesize(text, voice)
    if rng.random() < config.neutral_share:
        curve = constant("neutral", 0.0)
    else:
        curve = random_curve(rng, utterance.duration)
    name = item_name(index)
    takes = [_write(root / "takes" / name, rig, utterance, curve, perf_seed, config, index)]
    if paired:
        speaker = voice.speaker if config.engine == "flite" else voice.espeak_name.replace("+", "-")
        variants = [("neutral", 1, 0.0)] + [(e, n + 1, level) for e in EXPRESSIVE
                                             for n, level in enumerate(config.pair_levels)]
        for emotion, level_no, level in variants:
            folder = root / "pairs" / speaker / emotion / f"level_{level_no}" / name
            takes.append(_write(folder, rig, utterance, constant(emotion, level), perf_seed, config, index))
    record = {"index": index, "name": name, "seconds": utterance.duration, "language": language,
              "voice": voice.to_dict(), "text": text, "emotion_curve": curve.to_json(),
              "dominant_emotion": curve.dominant(), "paired": paired,
              "takes": [take.relative_to(root).as_posix() for take in takes]}
    with atomic_write(root / WORK / "items" / f"{name}.json", "w") as handle:
        json.dump(record, handle, ensure_ascii=False)
    return ItemResult(index, utterance.duration, record)


def _write(folder: Path, rig: FaceRig, utterance, curve: EmotionCurve, seed, config: MotionCorpusConfig,
           index: int) -> Path:
    performance = perform(rig, utterance.phones, utterance.samples, utterance.sample_rate, curve, seed,
                          config.performance)
    write_take(folder, rig, performance, utterance, curve, {"seed": config.seed, "item": index})
    return folder


def _load_record(root: Path, index: int) -> ItemResult | None:
    path = root / WORK / "items" / f"{item_name(index)}.json"
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return ItemResult(index, float(record["seconds"]), record)
    except (ValueError, KeyError, TypeError):
        return None   # a damaged record: the item is made again


def _check_settings(root: Path, config: MotionCorpusConfig) -> None:
    path = root / WORK / "config.json"
    wanted = {key: value for key, value in config.to_json().items() if key != "minutes"}
    if path.is_file():
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            saved = None
        if saved != wanted:
            raise SynthError(f"{root}: holds a corpus made with other settings (seed, languages...); "
                             "use a new --out folder or pass --overwrite")
        return
    with atomic_write(path, "w") as handle:
        json.dump(wanted, handle, sort_keys=True)


def run_motion_corpus(out: Path, task: Path, config: MotionCorpusConfig, progress: Progress,
                      workers: int = 1, overwrite: bool = False) -> Path:
    """Make (or resume) the corpus in ``out``; returns ``out/corpus.json``."""
    if overwrite and out.exists():
        shutil.rmtree(out)
    (out / WORK / "items").mkdir(parents=True, exist_ok=True)
    _check_settings(out, config)
    (out / CORPUS_JSON).unlink(missing_ok=True)   # unfinished again until it is rewritten
    target = config.minutes * 60.0
    results: list[ItemResult] = []
    total, index = 0.0, 0
    batch = max(4, 4 * workers)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) if workers > 1 else None
    try:
        with progress.stage("motion", total=max(1, int(round(target)))) as stage:
            while total < target:
                indices = list(range(index, index + batch))
                missing = [i for i in indices if _load_record(out, i) is None]
                if pool is None:
                    for i in missing:
                        make_item(str(out), str(task), config, i)
                else:
                    list(pool.map(make_item, [str(out)] * len(missing), [str(task)] * len(missing),
                                  [config] * len(missing), missing))
                for i in indices:
                    if total >= target:
                        break
                    result = _load_record(out, i)
                    if result is None:
                        raise SynthError(f"{out}: item {item_name(i)} was not written; run the command again")
                    results.append(result)
                    before = total
                    total += result.seconds
                    stage.advance(int(round(min(total, target))) - int(round(min(before, target))))
                index += batch
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    _drop_items_after(out, len(results))
    return _write_manifest(out, config, results)


def _drop_items_after(out: Path, count: int) -> None:
    """Remove items past the last one needed, so the folder depends only on seed and minutes."""
    for record_path in sorted((out / WORK / "items").glob("*.json")):
        index = int(record_path.stem)
        if index < count:
            continue
        record = _load_record(out, index)
        for take in (record.record["takes"] if record else []):
            shutil.rmtree(out / take, ignore_errors=True)
        record_path.unlink()
        shutil.rmtree(out / "takes" / item_name(index), ignore_errors=True)


def _write_manifest(out: Path, config: MotionCorpusConfig, results: list[ItemResult]) -> Path:
    takes = []
    for result in results:
        for take in result.record["takes"]:
            takes.append(take)
    counts = {name: 0 for name in EMOTION_NAMES}
    for result in results:
        counts[result.record["dominant_emotion"]] += 1
    manifest = {"format": CORPUS_FORMAT, "version": 1, "created_by": f"realtalk {__version__}",
                "config": config.to_json(), "items": len(results),
                "seconds": round(sum(r.seconds for r in results), 3),
                "languages": sorted({r.record["language"] for r in results}),
                "dominant_emotions": counts, "takes": takes,
                "records": [{k: v for k, v in r.record.items() if k != "takes"} for r in results]}
    path = out / CORPUS_JSON
    with atomic_write(path, "w") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
    return path
