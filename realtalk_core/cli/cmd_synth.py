"""``realtalk synth motion`` (ground-truth Takes) and ``realtalk synth subject`` (the rendered demo subject)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..assets.store import FACE_LANDMARKER, require
from ..progress import Progress
from ..schema.errors import RealtalkError
from .common import add_progress_argument

USAGE = ("realtalk synth motion --minutes M --out DIR [--seed S] [--workers N] [--languages en,es,...]\n"
         "       [--engine espeak|flite] [--voices m1,f1,...] [--neutral-share F] [--pair-share F]\n"
         "       realtalk synth subject --minutes M --size 256 --out DIR [--seed S] [--workers N]")
MAX_MINUTES = 24 * 60


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "synth", help="make ground-truth talking-face Takes, or the rendered synthetic demo subject", usage=USAGE,
        description="`synth motion`: speech synthesized by espeak-ng in many voices and languages, with its "
                    "phone timings, turned into exact ARKit blendshapes (coarticulated visemes, FACS emotions "
                    "along emotion curves, blinks, gaze, head motion), landmarks through the face rig, and "
                    "Takes with their audio and phones; plus paired neutral/emotional Takes of the same "
                    "utterance in a MEAD-like layout. `synth subject`: a synthetic (not a real person's) head "
                    "rendered by Blender speaking such a performance, written as a subject dataset like "
                    "`realtalk process` makes, with exact ground truth, plus the plain video with audio. "
                    "Both are deterministic for a seed and resume when run again.")
    parser.add_argument("what", choices=("motion", "subject"), help="what to make")
    parser.add_argument("--minutes", type=float, required=True, help="length to make, in minutes")
    parser.add_argument("--out", type=Path, required=True, help="folder to create (or resume)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1),
                        help="parallel worker processes (default: up to 4, one per core)")
    parser.add_argument("--languages", default="all",
                        help="motion: comma-separated languages, e.g. en,es,fr (en = en-us and en-gb); default all")
    parser.add_argument("--engine", choices=("espeak", "flite"), default="espeak",
                        help="motion: speech synthesizer: espeak (every language, default) or flite (American "
                             "English from real speakers' recordings; needs `apt install flite`)")
    parser.add_argument("--voices", default="all",
                        help="motion: comma-separated voices to draw from (to hold voices out): espeak-ng "
                             "variants, e.g. m1,m2,f1, or flite voices kal16,awb,rms; default all")
    parser.add_argument("--neutral-share", type=float, default=0.2,
                        help="motion: share of Takes with no emotion at all (default 0.2)")
    parser.add_argument("--pair-share", type=float, default=0.05,
                        help="motion: share of utterances that also get the paired neutral/emotion set (default 0.05)")
    parser.add_argument("--fps", type=float, default=25.0, help="frame rate (default 25)")
    parser.add_argument("--size", type=int, default=256, help="subject: frame size in pixels (256 or 512)")
    parser.add_argument("--overwrite", action="store_true", help="delete what is in --out and start again")
    parser.add_argument("--assets", type=Path, metavar="PATH", help="face_landmarker.task file or folder")
    add_progress_argument(parser)
    parser.set_defaults(func=run, command="synth")


def parse_languages(text: str) -> tuple[str, ...]:
    """``"en,es"`` -> ``("en-us", "en-gb", "es")``; ``"all"`` -> every verified language."""
    from ..phonetics.voices import LANGUAGES

    if text.strip() == "all":
        return tuple(LANGUAGES)
    chosen: list[str] = []
    for code in (c.strip().lower() for c in text.split(",") if c.strip()):
        matches = [key for key in LANGUAGES if key == code or key.split("-")[0] == code]
        if not matches:
            raise RealtalkError(f"--languages: unknown language {code!r}; known: {', '.join(LANGUAGES)}")
        chosen.extend(m for m in matches if m not in chosen)
    if not chosen:
        raise RealtalkError("--languages is empty; pass e.g. en,es or all")
    return tuple(chosen)


def parse_voices(text: str, engine: str = "espeak") -> tuple[str, ...]:
    """``"m1,f2"`` -> ``("m1", "f2")``; ``"all"`` -> ``()`` (every variant of ``engine``)."""
    from ..phonetics.flite import FLITE_VOICES
    from ..phonetics.voices import VARIANTS

    if text.strip() == "all":
        return ()
    known = FLITE_VOICES if engine == "flite" else VARIANTS["male"] + VARIANTS["female"]
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in text.split(",") if v.strip()))
    unknown = [v for v in chosen if v not in known]
    if unknown or not chosen:
        raise RealtalkError(f"--voices: unknown or empty {', '.join(unknown) or text!r}; known: {', '.join(known)}")
    return chosen


def run(args: argparse.Namespace, progress: Progress) -> int:
    if not 0 < args.minutes <= MAX_MINUTES:
        raise RealtalkError(f"--minutes must be above 0 and at most {MAX_MINUTES}, got {args.minutes:g}")
    if not 1 <= args.workers <= 64:
        raise RealtalkError(f"--workers must be between 1 and 64, got {args.workers}")
    if not 10 <= args.fps <= 60:
        raise RealtalkError(f"--fps must be between 10 and 60, got {args.fps:g}")
    for flag in ("neutral_share", "pair_share"):
        if not 0.0 <= getattr(args, flag) <= 1.0:
            raise RealtalkError(f"--{flag.replace('_', '-')} must be between 0 and 1, got {getattr(args, flag):g}")
    task = require(FACE_LANDMARKER, args.assets)
    if args.what == "motion":
        outputs = _motion(args, task, progress)
    else:
        outputs = _subject(args, task, progress)
    if progress.mode != "json":
        for name, value in outputs.items():
            print(f"{name}: {value}")
    progress.done(outputs)
    return 0


def _motion(args: argparse.Namespace, task: Path, progress: Progress) -> dict[str, str]:
    from ..synth.corpus import MotionCorpusConfig, run_motion_corpus
    from ..synth.performance import PerformanceConfig

    languages = ("en-us",) if args.engine == "flite" and args.languages == "all" else parse_languages(args.languages)
    config = MotionCorpusConfig(minutes=args.minutes, seed=args.seed, languages=languages, engine=args.engine,
                                variants=parse_voices(args.voices, args.engine), neutral_share=args.neutral_share,
                                pair_share=args.pair_share, performance=PerformanceConfig(fps=args.fps))
    manifest = run_motion_corpus(args.out, task, config, progress, workers=args.workers, overwrite=args.overwrite)
    return {"corpus": str(manifest)}


def _subject(args: argparse.Namespace, task: Path, progress: Progress) -> dict[str, str]:
    from ..synth.subject_pipeline import SubjectConfig, run_subject

    if args.size not in (256, 512):
        raise RealtalkError(f"--size must be 256 or 512, got {args.size}")
    config = SubjectConfig(minutes=args.minutes, seed=args.seed, size=args.size, fps=args.fps)
    return run_subject(args.out, task, config, progress, workers=args.workers, overwrite=args.overwrite)
