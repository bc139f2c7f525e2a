"""``realtalk train motion|emotion|subject``: train the speech-motion VAE, the emotion LDM or a subject's renderer."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from dataclasses import replace
from pathlib import Path

from ..progress import Progress
from ..schema.errors import RealtalkError
from .common import add_progress_argument

USAGE = ("realtalk train motion DATA [DATA...] --out CKPT [--preset tiny|cpu|gpu] [--iters N] [--seed S] "
         "[--device cpu|cuda]\n"
         "       realtalk train emotion DATA [DATA...] --out CKPT [--preset tiny|cpu|gpu] [--iters N] [--seed S]\n"
         "       realtalk train subject DATASET --out SUBJECT_DIR [--preset cpu-fast|gpu-quality|tiny] [--iters N] "
         "[--resume] [--device cpu|cuda]")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train", help="train the speech-motion VAE, the emotion LDM or a subject's NeRF renderer", usage=USAGE,
        description="`train motion`: DATA are `realtalk synth motion` corpora, folders of Takes with audio, or "
                    "`realtalk process` datasets (real video with sound, to fine-tune on your own subject); only "
                    "neutral speech is learnt. `train emotion`: DATA are corpora with neutral/emotional pairs "
                    "(`realtalk synth motion --pair-share 1`) and/or MEAD collections from `realtalk process mead` "
                    "(each emotional clip is lined up in time with its speaker's neutral clip of the same "
                    "sentence). Presets: tiny (a few iterations, for tests), cpu "
                    "(the shipped weights), gpu (the default: bigger and longer). The checkpoint carries its "
                    "config; a training log (.log.jsonl) is written beside it. `train subject`: DATASET is one "
                    "`realtalk process` (or `realtalk synth subject`) dataset; SUBJECT_DIR receives subject.pt, "
                    "background.png, validation renders (val/), loss.png and train_state.pt for --resume. Presets: "
                    "tiny (tests), cpu-fast, gpu-quality (the default). Under `torchrun --nproc_per_node=N` it "
                    "trains with DistributedDataParallel (gloo on CPU, nccl on CUDA).")
    parser.add_argument("what", choices=("motion", "emotion", "subject"), help="which model to train")
    parser.add_argument("data", nargs="+", type=Path, help="training data folders")
    parser.add_argument("--out", type=Path, required=True,
                        help="checkpoint file to write (.pt); for a subject, the folder to write")
    parser.add_argument("--preset", choices=("tiny", "cpu", "gpu", "cpu-fast", "gpu-quality"),
                        help="model size and run length (default gpu; for a subject gpu-quality)")
    parser.add_argument("--resume", action="store_true", help="subject: continue the run in --out where it stopped")
    parser.add_argument("--iters", type=int, help="training iterations (default: the preset's)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    parser.add_argument("--workers", type=int, default=1, help="processes computing audio features (default 1)")
    parser.add_argument("--room-copies", type=int, metavar="N",
                        help="motion: also learn each synthetic utterance as heard in N random rooms (reverberation, "
                             "microphone EQ, background noise); default the preset's (0, except tiny)")
    parser.add_argument("--assets", type=Path, metavar="PATH", help="face_landmarker.task file or folder")
    add_progress_argument(parser)
    parser.set_defaults(func=run, command="train")


def run(args: argparse.Namespace, progress: Progress) -> int:
    import torch

    from ..assets.store import FACE_LANDMARKER, require

    if args.device not in ("cpu", "cuda") and not args.device.startswith("cuda:"):
        raise RealtalkError(f"--device must be cpu or cuda, got {args.device!r}")
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        raise RealtalkError("--device cuda: no CUDA device is available here; use --device cpu")
    if args.iters is not None and not 1 <= args.iters <= 10_000_000:
        raise RealtalkError(f"--iters must be at least 1, got {args.iters}")
    if args.what == "subject":
        return _run_subject(args, progress)
    if args.resume:
        raise RealtalkError("--resume applies to `realtalk train subject` only")
    args.preset = args.preset or "gpu"
    if args.preset not in ("tiny", "cpu", "gpu"):
        raise RealtalkError(f"--preset {args.preset}: {args.what} presets are tiny, cpu and gpu")
    if args.out.suffix != ".pt":
        raise RealtalkError(f"--out {args.out}: name the checkpoint with a .pt suffix")
    command = "realtalk " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv[1:2] == ["train"] else ""
    task = require(FACE_LANDMARKER, args.assets)
    if args.what == "motion":
        from ..motion.train import PRESETS, train_motion

        config = PRESETS[args.preset]
        config = replace(config, seed=args.seed, device=args.device,
                         iterations=args.iters if args.iters is not None else config.iterations)
        if args.room_copies is not None:
            if not 0 <= args.room_copies <= 8:
                raise RealtalkError(f"--room-copies must be between 0 and 8, got {args.room_copies}")
            config = replace(config, room=replace(config.room, copies=args.room_copies))
        result = train_motion(args.data, args.out, config, progress, task=str(task), workers=args.workers,
                              command=command)
    else:
        from ..assets.canonical_mesh import load_canonical_mesh, neutral_landmarks
        from ..emotion.train import PRESETS as EMOTION_PRESETS
        from ..emotion.train import train_emotion

        config = EMOTION_PRESETS[args.preset]
        config = replace(config, seed=args.seed, device=args.device,
                         iterations=args.iters if args.iters is not None else config.iterations)
        result = train_emotion(args.data, args.out, neutral_landmarks(load_canonical_mesh(task)), config,
                               progress, command=command)
    outputs = {"checkpoint": result["checkpoint"], "sha256": result["sha256"], "log": result["log"]}
    if progress.mode != "json":
        final = result["final"]
        print(f"trained {args.what} in {result['seconds']} s; final loss {final['loss']:.4f}, "
              f"validation {final['val_loss']:.4f}")
        for name, value in outputs.items():
            print(f"{name}: {value}")
    progress.done(outputs)
    return 0


def _run_subject(args: argparse.Namespace, progress: Progress) -> int:
    from ..render.train_config import DEFAULT_PRESET, PRESETS, preset
    from ..render.trainer import train_subject

    name = args.preset or DEFAULT_PRESET
    if name not in PRESETS:
        raise RealtalkError(f"--preset {name}: subject presets are {', '.join(PRESETS)}")
    if len(args.data) != 1:
        raise RealtalkError("train subject takes one dataset folder (one subject)")
    if args.out.suffix == ".pt":
        raise RealtalkError(f"--out {args.out}: a subject is a folder; pass a folder name without .pt")
    command = "realtalk " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv[1:2] == ["train"] else ""
    config = preset(name, iterations=args.iters, seed=args.seed)
    main_rank = int(os.environ.get("RANK", "0")) == 0     # under torchrun only rank 0 reports (and writes)
    if not main_rank:
        progress = Progress("none", progress.command)
    result = train_subject(args.data[0], args.out, config, resume=args.resume, device=args.device,
                           progress=progress, command=command)
    outputs = {"subject": result["out"], "loss_plot": str(args.out / "loss.png"),
               "validation": str(args.out / "val")}
    if main_rank and progress.mode != "json":
        print(f"trained subject for {result['steps']} steps; last crop PSNR {result.get('psnr', 0):.2f} dB"
              + (f", validation PSNR {result['val_psnr']:.2f} dB" if "val_psnr" in result else ""))
        for name, value in outputs.items():
            print(f"{name}: {value}")
    progress.done(outputs)
    return 0
