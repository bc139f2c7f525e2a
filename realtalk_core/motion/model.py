"""A trained motion VAE, loaded from its checkpoint, turning audio features into speech motion."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..audio import AudioFeatureConfig
from ..training import CheckpointError, load_checkpoint
from .space import MotionSpace
from .train import KIND
from .vae import MotionVAE, MotionVAEConfig


@dataclass
class SpeechMotion:
    """The model's output for one utterance."""

    blendshapes: np.ndarray      # (T, 52) speech channels set, the rest 0
    lips_together: np.ndarray    # (T,) probability


class MotionModel:
    """Inference wrapper: features -> speech motion, in overlapping chunks for long audio."""

    #: frames per chunk and the context each chunk reads beyond its own frames (> receptive field)
    CHUNK, CONTEXT = 4096, 96

    def __init__(self, model: MotionVAE, space: MotionSpace, features: AudioFeatureConfig,
                 mean: np.ndarray, std: np.ndarray, sha256: str, device: str = "cpu"):
        self.model, self.space, self.features = model.eval().to(device), space, features
        self.mean, self.std, self.sha256, self.device = mean, std, sha256, device

    @classmethod
    def load(cls, path: str | Path, device: str = "cpu") -> "MotionModel":
        payload, sha = load_checkpoint(path, KIND)
        try:
            config = MotionVAEConfig(**{k: tuple(v) if isinstance(v, list) else v
                                        for k, v in payload["config"]["model"].items()})
            model = MotionVAE(config)
            model.load_state_dict(payload["state"])
            space = MotionSpace(tuple(payload["space"]))
            features = AudioFeatureConfig.from_json(payload["features"])
            mean, std = payload["motion_mean"].numpy(), payload["motion_std"].numpy()
        except ValueError as error:
            raise CheckpointError(f"{path}: {error}; retrain it with `realtalk train motion`, or use the shipped "
                                  "weights") from None
        except (KeyError, TypeError, RuntimeError) as error:
            raise CheckpointError(f"{path}: damaged motion checkpoint ({str(error).splitlines()[0][:100]}); "
                                  "retrain it with `realtalk train motion`") from None
        if config.feature_width != len(features.names()) or config.motion_width != space.width:
            raise CheckpointError(f"{path}: its widths do not match its feature and motion channels; retrain it")
        return cls(model, space, features, mean, std, sha, device)

    @torch.no_grad()
    def generate(self, features: np.ndarray, seed: int = 0, temperature: float = 1.0) -> SpeechMotion:
        """(T, F) features (the checkpoint's feature config) -> speech motion; same seed, same output."""
        frames = len(features)
        stride = self.model.config.latent_stride
        generator = torch.Generator().manual_seed(int(seed))
        z_all = torch.randn((1, self.model.config.latent, -(-frames // stride) + 1), generator=generator)
        z_all *= float(temperature)
        motion = np.zeros((frames, self.space.width), np.float32)
        closure = np.zeros(frames, np.float32)
        x = torch.from_numpy(np.ascontiguousarray(features, np.float32)).T[None].to(self.device)
        chunk = self.CHUNK - self.CHUNK % stride
        for start in range(0, frames, chunk):
            stop = min(frames, start + chunk)
            lo = max(0, start - self.CONTEXT)
            lo -= lo % stride                      # latent steps stay on the same grid as one whole pass
            hi = min(frames, stop + self.CONTEXT)
            hidden = self.model.encode_audio(x[..., lo:hi])
            z = z_all[..., lo // stride: lo // stride + self.model.latent_steps(hi - lo)].to(self.device)
            predicted, logits = self.model.decode(hidden, z)
            motion[start:stop] = predicted[0, :, start - lo: stop - lo].T.cpu().numpy()
            closure[start:stop] = torch.sigmoid(logits[0, start - lo: stop - lo]).cpu().numpy()
        motion = motion * self.std + self.mean
        return SpeechMotion(self.space.to_blendshapes(motion), closure)
