"""``realtalk train motion``: fit the Audio2Motion VAE on speech sequences.

Windows of ``window`` frames are drawn at random from the training sequences (5% of
sequences, chosen by name hash, are kept for validation). The loss, per window::

    L1(motion) + velocity * L1(d motion / dt) + closure * BCE(lips together) + beta(t) * KL

on per-channel standardised motion, each channel weighted by its own spread (so jawOpen counts
more than a channel that barely moves), with the KL weight warmed up and free bits against
posterior collapse. Spectral augmentation (band masking, noise, a random tilt of the mel bands)
makes the espeak-trained model less sensitive to how a real microphone colours speech.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import torch
from torch.nn import functional as F

from ..audio import AudioFeatureConfig
from ..progress import Progress
from ..schema.fileio import atomic_write
from ..training import save_checkpoint
from ..training.loop import cosine_lr, window_rows
from .data import Sequence_, cache_key, discover, load_cache, load_sequences, save_cache
from .room import RoomConfig
from .space import MotionSpace
from .vae import MotionVAE, MotionVAEConfig, kl_divergence

KIND = "motion-vae"


@dataclass(frozen=True)
class MotionTrainConfig:
    """One training run. Presets below; the CLI can override iterations, seed and device."""

    model: MotionVAEConfig = field(default_factory=MotionVAEConfig)
    room: RoomConfig = field(default_factory=RoomConfig)    #: waveform augmentation of synthetic speech
    iterations: int = 20000
    batch: int = 32
    window: int = 128                 #: frames per training window
    lr: float = 2e-3
    lr_final: float = 2e-5
    weight_decay: float = 1e-4
    velocity_weight: float = 1.0
    closure_weight: float = 0.3
    beta: float = 0.02                #: KL weight after warm-up
    beta_warmup: float = 0.3          #: share of iterations over which beta rises from 0
    free_bits: float = 0.05
    band_mask: int = 12               #: most mel bands masked per window (augmentation)
    feature_noise: float = 0.1
    tilt: float = 0.5                 #: most per-utterance spectral tilt, in feature stds across the bands
    floor_chance: float = 0.7         #: share of windows given a noise floor (real rooms and microphones)
    floor_range: tuple[float, float] = (-2.0, 0.0)   #: the floor's level, in feature stds
    lowpass_chance: float = 0.3       #: share of windows whose top mel bands are cut (compressed audio)
    val_share: float = 0.05
    seed: int = 0
    log_every: int = 50
    device: str = "cpu"


PRESETS: dict[str, MotionTrainConfig] = {
    "tiny": MotionTrainConfig(model=MotionVAEConfig(hidden=32, encoder_dilations=(1, 2), decoder_dilations=(1,)),
                              room=RoomConfig(copies=1), iterations=20, batch=4, window=64, log_every=5),
    "cpu": MotionTrainConfig(iterations=3000, batch=24),
    "gpu": MotionTrainConfig(model=MotionVAEConfig(hidden=192), iterations=20000, batch=64),
}
DEFAULT_PRESET = "gpu"


@dataclass
class Stream:
    """All sequences of one split, concatenated, with the start of each."""

    features: torch.Tensor    # (N, F)
    motion: torch.Tensor      # (N, C) standardised
    closure: torch.Tensor     # (N,)
    starts: np.ndarray        # (S,)
    lengths: np.ndarray       # (S,)

    @classmethod
    def of(cls, sequences: Sequence[Sequence_], mean: np.ndarray, std: np.ndarray) -> "Stream":
        lengths = np.array([len(s.features) for s in sequences])
        return cls(torch.from_numpy(np.concatenate([s.features for s in sequences])),
                   torch.from_numpy((np.concatenate([s.motion for s in sequences]) - mean) / std),
                   torch.from_numpy(np.concatenate([s.closure for s in sequences])),
                   np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)

    def windows(self, rng: np.random.Generator, count: int, window: int) -> tuple[torch.Tensor, ...]:
        """``count`` random windows, each inside one sequence (short sequences padded at the end)."""
        rows = torch.from_numpy(window_rows(rng, self.starts, self.lengths, count, window))
        return (self.features[rows].transpose(1, 2), self.motion[rows].transpose(1, 2), self.closure[rows])


def _is_val(name: str, share: float) -> bool:
    """Whether a sequence is held out; an utterance's room copies (``NAME@roomK``) go with it."""
    base = name.split("@room")[0]
    return int(hashlib.sha256(base.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share


def augment(features: torch.Tensor, config: MotionTrainConfig, mel: int, gen: torch.Generator) -> torch.Tensor:
    """Noise floors, low-passes, band masks, a random spectral tilt and noise on (B, F, T) standardised
    features (mel rows first, then energy). espeak's stop closures are digital silence; in a real
    recording they sit on a room-noise floor, so windows get a random floor (a smooth maximum,
    ``f + softplus(x - f)``, on the mel bands and energy), and some lose their top bands as an MP3 does."""
    out = features.clone()
    batch = out.shape[0]
    lo, hi = config.floor_range
    floored = torch.rand(batch, generator=gen) < config.floor_chance
    level = (lo + (hi - lo) * torch.rand(batch, 1, 1, generator=gen))
    body = out[:, :mel + 1]
    out[:, :mel + 1] = torch.where(floored.view(-1, 1, 1), level + F.softplus(body - level), body)
    for b in range(batch):
        if float(torch.rand(1, generator=gen)) < config.lowpass_chance:
            cut = int(torch.randint(mel - 25, mel - 5, (1,), generator=gen))
            out[b, cut:mel] = out[b, cut:mel].mean() - 1.0
    if config.tilt > 0:
        slope = (torch.rand(batch, 1, 1, generator=gen) * 2 - 1) * config.tilt
        out[:, :mel] += slope * torch.linspace(-1, 1, mel).view(1, mel, 1)
    if config.band_mask > 0:
        for b in range(batch):
            width = int(torch.randint(0, config.band_mask + 1, (1,), generator=gen))
            start = int(torch.randint(0, mel - width + 1, (1,), generator=gen))
            out[b, start:start + width] = 0.0
    return out + torch.randn(out.shape, generator=gen) * config.feature_noise


def losses(model: MotionVAE, batch: tuple[torch.Tensor, ...], weights: torch.Tensor, config: MotionTrainConfig,
           beta: float) -> dict[str, torch.Tensor]:
    features, motion, closure = batch
    predicted, logits, mean, log_var = model(features, motion)
    w = weights.view(1, -1, 1)
    recon = (w * (predicted - motion).abs()).mean()
    velocity = (w * (predicted.diff(dim=-1) - motion.diff(dim=-1)).abs()).mean()
    bce = F.binary_cross_entropy_with_logits(logits, closure)
    kl = kl_divergence(mean, log_var, config.free_bits)
    total = recon + config.velocity_weight * velocity + config.closure_weight * bce + beta * kl
    return {"loss": total, "recon": recon, "velocity": velocity, "closure": bce, "kl": kl}


def train_motion(data: Sequence[str | Path], out: Path, config: MotionTrainConfig, progress: Progress,
                 task: str | None = None, workers: int = 1, command: str = "") -> dict[str, Any]:
    """Train and write ``out`` (the checkpoint) plus ``out``'s log (``.log.jsonl``); returns a summary."""
    torch.manual_seed(config.seed)
    space, feature_config = MotionSpace(), AudioFeatureConfig()
    sources = discover(data)
    cache_path = out.with_suffix(".cache.npz")
    key = cache_key(sources, space, feature_config, config.room)
    sequences = load_cache(cache_path, key)
    if sequences is None:
        with progress.stage("features", total=len(sources)) as stage:
            sequences = load_sequences(sources, space, feature_config, task, workers, on_done=stage.advance,
                                       room=config.room)
        if not sequences:
            from .data import MotionDataError
            raise MotionDataError(f"{', '.join(map(str, data))}: no neutral Takes or datasets with audio to learn "
                                  "speech motion from")
        save_cache(cache_path, sequences, key)
    val = [s for s in sequences if _is_val(s.name, config.val_share)]
    train = [s for s in sequences if not _is_val(s.name, config.val_share)] or val
    val = val or train[-1:]
    all_motion = np.concatenate([s.motion for s in train])
    mean = all_motion.mean(axis=0).astype(np.float32)
    std = np.maximum(all_motion.std(axis=0), 1e-3).astype(np.float32)
    channel_weight = torch.from_numpy(std / std.mean())
    train_stream, val_stream = Stream.of(train, mean, std), Stream.of(val, mean, std)

    model_config = replace(config.model, feature_width=len(feature_config.names()), motion_width=space.width)
    device = torch.device(config.device)
    model = MotionVAE(model_config).to(device)
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    rng, gen = np.random.default_rng(config.seed), torch.Generator().manual_seed(config.seed)
    val_rng = np.random.default_rng(config.seed + 1)
    val_batch = val_stream.windows(val_rng, max(8, config.batch), config.window)
    log_path = out.with_suffix(".log.jsonl")
    log: list[dict[str, float]] = []
    started = time.perf_counter()
    with progress.stage("train", total=config.iterations) as stage:
        for step in range(config.iterations):
            for group in optimiser.param_groups:
                group["lr"] = cosine_lr(step, config.iterations, config.lr, config.lr_final)
            beta = config.beta * min(1.0, step / max(1.0, config.beta_warmup * config.iterations))
            features, motion, closure = train_stream.windows(rng, config.batch, config.window)
            features = augment(features, config, feature_config.n_mels, gen)
            model.train()
            parts = losses(model, (features.to(device), motion.to(device), closure.to(device)),
                           channel_weight.to(device), config, beta)
            optimiser.zero_grad(set_to_none=True)
            parts["loss"].backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            if step % config.log_every == 0 or step == config.iterations - 1:
                model.eval()
                with torch.no_grad():
                    held = losses(model, tuple(t.to(device) for t in val_batch), channel_weight.to(device),
                                  config, beta)
                entry = {"step": step, "seconds": round(time.perf_counter() - started, 2),
                         **{k: round(float(v.detach()), 5) for k, v in parts.items()},
                         **{f"val_{k}": round(float(v), 5) for k, v in held.items()}}
                log.append(entry)
                stage.describe(f"loss {entry['loss']:.3f} val {entry['val_recon']:.3f}")
            stage.advance()
    with atomic_write(log_path, "w") as handle:
        handle.write("".join(json.dumps(e) + "\n" for e in log))
    summary = {"sequences": len(train), "val_sequences": len(val), "room_copies": config.room.copies,
               "frames": int(len(train_stream.features)),
               "seconds": round(time.perf_counter() - started, 1), "final": log[-1]}
    sha = save_checkpoint(out, KIND, {"model": asdict(model_config), "train": asdict(config)},
                          model.state_dict(), space=list(space.channels), features=feature_config.to_json(),
                          motion_mean=torch.from_numpy(mean), motion_std=torch.from_numpy(std),
                          meta={"command": command, "summary": summary})
    return {**summary, "checkpoint": str(out), "sha256": sha, "log": str(log_path)}
