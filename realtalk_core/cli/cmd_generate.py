"""``realtalk generate``: speech audio + an emotion request -> a Take; or re-bake a Take's emotion."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from ..progress import Progress
from ..schema.errors import RealtalkError
from .common import add_progress_argument

USAGE = ("realtalk generate AUDIO --out TAKE [--subject NAME|PATH] [--fps 25] [--emotion happy[:0.8]]\n"
         "       [--emotion-curve curves.json|curves.csv] [--seed N] [--temperature T] [--arkit-csv out.csv]\n"
         "       realtalk generate --from-take TAKE --only emotion --out TAKE [--emotion ...|--emotion-curve ...]")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "generate", help="speech audio + emotion -> a Take of landmarks, blendshapes, emotion and head pose",
        usage=USAGE,
        description="Any speech recording (wav, flac, mp3, m4a, ogg; any rate, mono or stereo) becomes a Take: "
                    "the motion VAE makes neutral speech motion, blinks, gaze and head sway are added, the "
                    "emotion LDM deforms the landmarks along the emotion curves, and the rig solves them into "
                    "the 52 ARKit blendshapes, with the lips sealed wherever the model hears /p b m/. "
                    "`--from-take T --only emotion` re-bakes only the emotion of a generated Take: its speech "
                    "motion (layers.npz) stays bit-identical. Without --emotion/--emotion-curve a re-bake uses "
                    "the Take's own (possibly edited) emotion track.")
    parser.add_argument("audio", nargs="?", type=Path, help="the driving speech audio file")
    parser.add_argument("--out", type=Path, required=True, help="Take folder to write")
    parser.add_argument("--subject", help="`demo` (default) or a `realtalk process` dataset folder")
    parser.add_argument("--fps", type=float, default=25.0, help="frame rate (default 25)")
    parser.add_argument("--emotion", help="one emotion for the whole take, e.g. happy or happy:0.8")
    parser.add_argument("--emotion-curve", type=Path, help="per-emotion keyframes (.json or .csv; docs/emotion_curves.md)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the motion, blinks, gaze and head (default 0)")
    parser.add_argument("--temperature", type=float, default=0.5,
                        help="variety of the speech motion, 0 (most likely) to 2 (default 0.5)")
    parser.add_argument("--no-blinks", action="store_true", help="no spontaneous blinks")
    parser.add_argument("--no-gaze", action="store_true", help="no gaze drift")
    parser.add_argument("--no-head-motion", action="store_true", help="hold the head still")
    parser.add_argument("--from-take", type=Path, help="re-bake this generated Take (with --only emotion)")
    parser.add_argument("--only", choices=("emotion",), help="with --from-take: what to re-bake")
    parser.add_argument("--arkit-csv", type=Path, help="also write the blendshapes as a Live Link Face CSV")
    parser.add_argument("--motion-model", type=Path, help="motion checkpoint (default: the shipped one)")
    parser.add_argument("--emotion-model", type=Path, help="emotion checkpoint (default: the shipped one)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing Take in --out")
    parser.add_argument("--assets", type=Path, metavar="PATH", help="face_landmarker.task file or folder")
    add_progress_argument(parser)
    parser.set_defaults(func=run, command="generate")


def _curves(args: argparse.Namespace):
    from ..schema.emotion_curves import EmotionCurves, load_emotion_curves

    if args.emotion and args.emotion_curve:
        raise RealtalkError("pass either --emotion or --emotion-curve, not both")
    if args.emotion_curve:
        return load_emotion_curves(args.emotion_curve)
    if args.emotion:
        return EmotionCurves.from_preset(args.emotion)
    return None


def _check_args(args: argparse.Namespace) -> None:
    if not 10 <= args.fps <= 120:
        raise RealtalkError(f"--fps must be between 10 and 120, got {args.fps:g}")
    if not 0 <= args.temperature <= 2:
        raise RealtalkError(f"--temperature must be between 0 and 2, got {args.temperature:g}")
    if args.from_take is not None and args.only != "emotion":
        raise RealtalkError("--from-take needs --only emotion (re-baking the emotion is what it does)")
    if args.only and args.from_take is None:
        raise RealtalkError("--only emotion needs --from-take TAKE")
    if args.from_take is None and args.audio is None:
        raise RealtalkError("give the speech AUDIO file (or --from-take TAKE --only emotion)")
    if args.from_take is not None and args.audio is not None:
        raise RealtalkError("a re-bake uses the Take's own audio; drop the AUDIO argument")
    same = args.from_take is not None and args.out.resolve() == args.from_take.resolve()
    if (args.out / "take.json").exists() and not args.overwrite and not same:
        raise RealtalkError(f"{args.out}: already holds a Take; pass --overwrite to replace it, or another --out")
    if args.out.exists() and not args.out.is_dir():
        raise RealtalkError(f"--out {args.out}: is a file; pass a folder for the Take")


def run(args: argparse.Namespace, progress: Progress) -> int:
    from ..assets.canonical_mesh import load_canonical_mesh
    from ..assets.store import FACE_LANDMARKER, require
    from ..generate.models import load_models
    from ..rig import FaceRig

    _check_args(args)
    curves = _curves(args)
    task = require(FACE_LANDMARKER, args.assets)
    with progress.stage("load", total=1) as stage:
        motion_model, emotion_model = load_models(args.motion_model, args.emotion_model, args.device)
        canonical = FaceRig.build(load_canonical_mesh(task))
        stage.advance()
    if args.from_take is not None:
        out = _rebake(args, curves, emotion_model, canonical, progress)
    else:
        out = _generate(args, curves, motion_model, emotion_model, canonical, progress)
    outputs = {"take": str(out)}
    if args.arkit_csv:
        from ..schema import load_take
        from ..schema.arkit_csv import write_arkit_csv

        take = load_take(out)
        write_arkit_csv(args.arkit_csv, take.tracks.blendshapes, take.fps, take.tracks.head_pose, take.frame_start)
        outputs["arkit_csv"] = str(args.arkit_csv)
    if progress.mode != "json":
        for name, value in outputs.items():
            print(f"{name}: {value}")
    progress.done(outputs)
    return 0


def _generate(args, curves, motion_model, emotion_model, canonical, progress: Progress) -> Path:
    from ..generate import GenerateConfig, resolve_subject
    from ..generate.from_audio import generate_from_audio

    subject = resolve_subject(args.subject, canonical)
    config = GenerateConfig(fps=args.fps, seed=args.seed, temperature=args.temperature, blinks=not args.no_blinks,
                            gaze=not args.no_gaze, head_motion=not args.no_head_motion)
    return generate_from_audio(args.audio, args.out, curves, motion_model, emotion_model, subject, config,
                               progress, overwrite=args.overwrite)


def _rebake(args, curves, emotion_model, canonical, progress: Progress) -> Path:
    from ..generate import LAYERS_NPZ, GenerateConfig, NeutralLayer, build_take, resolve_subject, write_generated
    from ..schema import load_take
    from ..schema.emotion_curves import EmotionCurves
    from ..schema.io import attach_audio

    with progress.stage("emotion", total=1) as stage:
        source = load_take(args.from_take)
        layer = NeutralLayer.load(args.from_take, source.frame_count)
        old = source.provenance.get("config", {})
        subject_info = source.provenance.get("subject", {})
        spec = args.subject or (subject_info.get("source", "")[len("dataset "):]
                                if str(subject_info.get("source", "")).startswith("dataset ") else None)
        subject = resolve_subject(spec, canonical)
        config = GenerateConfig(fps=source.fps, seed=int(old.get("seed", 0)),
                                temperature=float(old.get("temperature", 0.5)),
                                blinks=bool(old.get("blinks", True)), gaze=bool(old.get("gaze", True)),
                                head_motion=bool(old.get("head_motion", True)))
        curves = curves or EmotionCurves.from_emotion_track(source.tracks.emotion, source.fps, source.frame_start)
        same = args.out.resolve() == args.from_take.resolve()
        audio = source.audio
        if not same:
            if args.overwrite and args.out.is_dir():
                shutil.rmtree(args.out)
            args.out.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(args.from_take / LAYERS_NPZ, args.out / LAYERS_NPZ)
            if audio is not None:
                audio = attach_audio(args.out, args.from_take / audio.path, audio.sample_rate, audio.offset,
                                     name=audio.path)
        keep = {k: v for k, v in source.provenance.items()
                if k in ("audio_source", "audio_report", "motion_model_sha256")}
        take = build_take(layer, curves, emotion_model, subject, config, audio,
                          {**keep, "rebaked_from": str(args.from_take)})
        take.frame_start = source.frame_start
        stage.advance()
    from ..schema.io import save_take

    from ..generate.pipeline import write_rig_mesh

    write_rig_mesh(subject, args.out)
    take.provenance["layers_sha256"] = NeutralLayer.sha256(args.out)
    return save_take(take, args.out)
