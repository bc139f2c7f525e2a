"""A trained LDM, loaded from its checkpoint, deforming a subject's neutral landmarks by emotion."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..training import CheckpointError, load_checkpoint
from .data import Displacement
from .ldm import EmotionLDM, EmotionLDMConfig
from .train import KIND


class EmotionModel:
    """Inference wrapper: (T, 478, 3) neutral landmarks + (T, 8) mix + (T,) intensity -> emotional landmarks."""

    CHUNK, CONTEXT = 4096, 16     # frames per pass, and frames of context (the ResNet sees +-blocks frames)

    def __init__(self, model: EmotionLDM, sha256: str, device: str = "cpu"):
        self.model, self.sha256, self.device = model.eval().to(device), sha256, device

    @classmethod
    def load(cls, path: str | Path, device: str = "cpu") -> "EmotionModel":
        payload, sha = load_checkpoint(path, KIND)
        try:
            model = EmotionLDM(EmotionLDMConfig(**payload["config"]["model"]))
            model.load_state_dict(payload["state"])
        except (KeyError, TypeError, RuntimeError) as error:
            raise CheckpointError(f"{path}: damaged emotion checkpoint ({str(error).splitlines()[0][:100]}); "
                                  "retrain it with `realtalk train emotion`") from None
        return cls(model, sha, device)

    @torch.no_grad()
    def apply(self, landmarks: np.ndarray, neutral: np.ndarray, mix: np.ndarray,
              intensity: np.ndarray) -> np.ndarray:
        """Emotional landmarks (T, 478, 3) float64; frames with no emotion come back unchanged."""
        frames = len(landmarks)
        active = (1.0 - mix[:, 0]) * intensity > 1e-6      # neutral is EMOTION_NAMES[0]
        if not active.any():
            return np.asarray(landmarks, np.float64).copy()
        space = Displacement(np.asarray(neutral, np.float64))
        x = torch.from_numpy(space.encode(landmarks))
        m = torch.from_numpy(np.asarray(mix, np.float32))
        k = torch.from_numpy(np.asarray(intensity, np.float32))
        basis = self.model.basis.cpu()
        coeffs = x @ basis.T
        out = x.clone()
        for start in range(0, frames, self.CHUNK):
            stop = min(frames, start + self.CHUNK)
            lo, hi = max(0, start - self.CONTEXT), min(frames, stop + self.CONTEXT)
            delta = self.model.deform_coeffs(coeffs[None, lo:hi].to(self.device), m[None, lo:hi].to(self.device),
                                             k[None, lo:hi].to(self.device))[0].cpu()
            out[start:stop] += delta[start - lo: stop - lo] @ basis
        result = space.decode(out.numpy())
        result[~active] = landmarks[~active]
        return result
