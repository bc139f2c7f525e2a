"""``realtalk train subject``: fit a talking-head model to one subject's dataset.

Every step draws its randomness from a generator seeded by (seed, rank, step), so a resumed run is the
same run: the checkpoint holds the weights, optimizer state and step, and nothing else is needed. Only
rank 0 writes; writes are atomic.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch

from ..schema.channels import ARKIT_BLENDSHAPE_NAMES, LANDMARK_TOPOLOGY
from ..schema.errors import RealtalkError
from ..schema.fileio import atomic_write
from ..training.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from ..training.loop import cosine_lr
from . import distributed
from .data import SubjectData, fit_model_buffers, load_subject_data
from .losses import mouth_mask, subject_losses
from .model import TalkingHeadModel
from .subject import SUBJECT_FILE, TRAIN_STATE_FILE, export_subject
from .train_config import SubjectTrainConfig
from .validation import append_log, plot_history, rewrite_log, validate

LOG_FILE = "train_log.jsonl"


def step_generator(seed: int, rank: int, step: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed * 1_000_003 + rank * 7_919 + step)


def choose_window(generator: torch.Generator, data: SubjectData, frame: int, patch: int, unit: int,
                  mouth_share: float) -> tuple[int, int, int, int]:
    """A (y0, x0, h, w) crop in output pixels, aligned to ``unit``; centred near the mouth ``mouth_share`` of the time."""
    size = data.size
    if patch <= 0 or patch >= size:
        return 0, 0, size, size
    draws = torch.rand(3, generator=generator)
    if float(draws[0]) < mouth_share:
        box = data.mouth_boxes[frame]
        cx, cy = float(box[0] + box[2]) / 2 * size, float(box[1] + box[3]) / 2 * size
        cx += (float(draws[1]) - 0.5) * patch / 2
        cy += (float(draws[2]) - 0.5) * patch / 2
    else:
        cx, cy = float(draws[1]) * size, float(draws[2]) * size
    x0 = int(np.clip(cx - patch / 2, 0, size - patch)) // unit * unit
    y0 = int(np.clip(cy - patch / 2, 0, size - patch)) // unit * unit
    return y0, x0, patch, patch


def _dropped_groups(generator: torch.Generator, model: TalkingHeadModel, chance: float) -> tuple[str, ...]:
    """Condition dropout: sometimes all landmark groups, sometimes all blendshape groups, are zeroed."""
    draw = float(torch.rand(1, generator=generator))
    if draw < chance:
        return tuple(n for n in model.token_names if n.startswith("lm:"))
    if draw < 2 * chance:
        return tuple(n for n in model.token_names if n.startswith("bs:"))
    return ()


def _batch(data: SubjectData, frames: list[int], window, device):
    y0, x0, h, w = window
    crop = (slice(None), slice(y0, y0 + h), slice(x0, x0 + w))
    target = data.frames[frames][crop].permute(0, 3, 1, 2).float().div(255.0)
    plate = torch.stack([data.background(f) for f in frames])[crop].permute(0, 3, 1, 2).float().div(255.0)
    person = data.person[frames][crop].float()[:, None]
    mouth = mouth_mask(data.mouth_boxes[frames], data.size, window)
    return [t.to(device) for t in (target, plate, person, mouth)]


def _optimizer(model: TalkingHeadModel, config: SubjectTrainConfig) -> torch.optim.Optimizer:
    planes = list(model.field.encoding.planes)
    ids = {id(p) for p in planes}
    others = [p for p in model.parameters() if id(p) not in ids]
    return torch.optim.Adam([{"params": planes, "lr": config.lr_planes, "name": "planes"},
                             {"params": others, "lr": config.lr_networks, "name": "networks"}], eps=1e-12)


def _update_grid(model: TalkingHeadModel, data: SubjectData, config: SubjectTrainConfig, step: int,
                 device: torch.device) -> float:
    generator = step_generator(config.seed, 10_000, step)                 # the same on every rank
    picks = data.train[torch.randint(len(data.train), (config.grid_frames,), generator=generator).numpy()]
    share = 0.0
    for frame in picks:
        f = int(frame)
        with torch.no_grad():
            tokens = model.frame_tokens(data.landmarks[f:f + 1].to(device), data.blendshapes[f:f + 1].to(device))[0]
        share = model.occupancy.update(lambda p: model.field(p, tokens, with_features=False)[0], generator,
                                       model.coarse_step)
    return share


def _check_resume(state: dict[str, Any], path: Path, config: SubjectTrainConfig, data: SubjectData) -> None:
    if state.get("dataset_sha256") != data.sha256:
        raise CheckpointError(f"{path}: was trained on a different dataset than {data.root}; resume with the same "
                              "dataset, or train into a new --out folder")
    saved = SubjectTrainConfig.from_json(state["config"])
    if replace(saved, iterations=config.iterations) != config:
        changed = [k for k, v in config.to_json().items() if k != "iterations" and saved.to_json()[k] != v]
        raise CheckpointError(f"{path}: the checkpoint's training config differs in {', '.join(changed)}; resume "
                              "with the preset it was started with, or train into a new --out folder")


def train_subject(dataset: str | Path, out: str | Path, config: SubjectTrainConfig, resume: bool = False,
                  device: str = "cpu", progress=None, command: str = "") -> dict[str, Any]:
    """Train (or resume) a subject into ``out``; returns a summary. ``progress`` is a realtalk Progress or None."""
    out = Path(out)
    context, torch_device = distributed.start(device)
    try:
        return _train(Path(dataset), out, config, resume, context, torch_device, progress, command)
    finally:
        context.close()


def _train(dataset: Path, out: Path, config: SubjectTrainConfig, resume: bool, context, device, progress,
           command: str) -> dict[str, Any]:
    state_path = out / TRAIN_STATE_FILE
    if state_path.exists() and not resume:
        raise RealtalkError(f"{out}: already holds a training run; pass --resume to continue it, or choose a new --out")
    if resume and not state_path.exists():
        resume = False                                   # nothing to resume yet: a fresh start is the same thing
    stage = progress.stage("load", None) if progress is not None and context.is_main else None
    data = load_subject_data(dataset, config.model.condition.smoothing)
    if stage is not None:
        stage.close()
    config = replace(config, model=replace(config.model, image_size=data.size))
    torch.manual_seed(config.seed)
    model = TalkingHeadModel(config.model, torch.Generator().manual_seed(config.seed)).to(device)
    fit_model_buffers(model, data)
    start, history = 0, []
    optimizer = None
    if resume:
        state, _ = load_checkpoint(state_path, "subject-train-state")
        _check_resume(state, state_path, config, data)
        model.field.encoding.resize_to(tuple(state["plane_resolutions"]))
        model.load_state_dict(state["state"])
        optimizer = _optimizer(model, config)
        optimizer.load_state_dict(state["optimizer"])
        start, history = int(state["step"]), list(state["history"])
        if start > config.iterations:
            raise RealtalkError(f"{state_path}: the run is already at step {start}, past --iters {config.iterations}; "
                                f"pass --iters {start} or more to continue it")
    optimizer = optimizer or _optimizer(model, config)
    model.to(device)
    trained = distributed.wrap(model, context, device)
    upsample_steps = {max(1, int(f * config.iterations)) for f in config.upsample_at}
    unit = config.model.decoder.upsample
    out.mkdir(parents=True, exist_ok=True)
    if context.is_main:
        # Steps logged after the last checkpoint (a run stopped between checkpoints) are redone: drop them.
        rewrite_log(out / LOG_FILE, history)
    bar = progress.stage("train", config.iterations) if progress is not None and context.is_main else None
    if bar is not None and start:
        bar.advance(start)
    summary: dict[str, Any] = dict(history[-1]) if history else {}     # a finished run resumed: its last step
    elapsed = float(history[-1].get("seconds", 0.0)) if history else 0.0  # training seconds before this run
    started = time.perf_counter()
    for step in range(start, config.iterations):
        if step in upsample_steps and model.field.encoding.upsample(optimizer):
            trained = distributed.wrap(model, context, device)
        if step == config.grid_warmup or (step > config.grid_warmup and step % config.grid_every == 0):
            _update_grid(model, data, config, step, device)
        scale = cosine_lr(step, config.iterations, 1.0, config.lr_final_fraction)
        for group in optimizer.param_groups:
            group["lr"] = scale * (config.lr_planes if group["name"] == "planes" else config.lr_networks)
        generator = step_generator(config.seed, context.rank, step)
        frames = [int(data.train[i]) for i in torch.randint(len(data.train), (config.batch_frames,), generator=generator)]
        window = choose_window(generator, data, frames[0], config.patch, unit, config.mouth_patch_share)
        target, plate, person, mouth = _batch(data, frames, window, device)
        out_maps = trained(data.landmarks[frames].to(device), data.blendshapes[frames].to(device),
                           data.head_pose[frames].to(device), data.size, window=window, generator=generator,
                           drop=_dropped_groups(generator, model, config.condition_dropout))
        terms = subject_losses(out_maps, target, plate, person, mouth, model.field.encoding.tv_loss(), config.losses)
        optimizer.zero_grad(set_to_none=True)
        terms["total"].backward()
        optimizer.step()
        entry = {"step": step + 1, "seconds": round(elapsed + time.perf_counter() - started, 2),
                 **{k: round(context.mean(float(v.detach())), 6) for k, v in terms.items()}}
        validating = context.is_main and ((step + 1) % config.val_every == 0 or step + 1 == config.iterations)
        if validating:
            model.eval()
            entry.update(validate(model, data, device, config.val_frames, out, step + 1))
            model.train()
        history.append(entry)
        if bar is not None:
            bar.describe(f"PSNR {entry['psnr']:.1f} dB" + (f", val {entry['val_psnr']:.1f}" if "val_psnr" in entry else ""))
            bar.advance(1)
        if context.is_main:
            append_log(out / LOG_FILE, entry)
        if validating:
            plot_history(history, out / "loss.png")
        if (step + 1) % config.checkpoint_every == 0 or step + 1 == config.iterations:
            if context.is_main:
                _save(out, model, optimizer, config, data, step + 1, history, command)
            context.barrier()
        summary = entry
    if bar is not None:
        bar.close()
    return {"out": str(out / SUBJECT_FILE), "steps": config.iterations, **summary}


def _save(out: Path, model: TalkingHeadModel, optimizer, config: SubjectTrainConfig, data: SubjectData, step: int,
          history: list[dict[str, Any]], command: str) -> None:
    meta = {"dataset": str(data.root), "dataset_sha256": data.sha256, "step": step, "command": command,
            "landmark_topology": LANDMARK_TOPOLOGY, "blendshape_names": list(ARKIT_BLENDSHAPE_NAMES)}
    save_checkpoint(out / TRAIN_STATE_FILE, "subject-train-state", config.to_json(), model.state_dict(),
                    optimizer=optimizer.state_dict(), step=step, history=history, dataset_sha256=data.sha256,
                    plane_resolutions=list(model.field.encoding.current_resolutions))
    export_subject(out, model, config, data, meta)
    with atomic_write(out / "train_config.json", "w") as handle:
        handle.write(json.dumps({"config": config.to_json(), **meta}, indent=1))
