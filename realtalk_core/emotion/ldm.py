"""The landmark deformation model (LDM): landmarks + a mix of emotion embeddings -> emotional landmarks.

Shapes: landmarks ``(B, T, 478, 3)`` in the head frame, emotion mix ``(B, T, 8)``, intensity ``(B, T)``.

* Landmarks are read as their displacement from the subject's neutral face, in inter-ocular
  units, projected on a fixed PCA basis of such displacements (``K`` components, stored as
  buffers): identity stays in the neutral face, the model only sees motion.
* Each emotion has a learnt embedding; neutral's is fixed at 0. A frame's condition is
  ``intensity * sum_k mix_k * embedding_k``, so intensity 0.5 of "happy" is half the way to
  happy, and any blend of emotions is a blend of embeddings.
* A ResNet of residual blocks (a width-3 convolution over neighbouring frames, then FiLM by the
  condition) maps displacement and condition to a deformation in the PCA space.
* The output is ``landmarks + D(x, c) - D(x, 0)``: with no emotion the landmarks come back
  exactly, so the neutral speech motion and the identity are never disturbed.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from ..schema.channels import EMOTION_NAMES, NUM_LANDMARKS

NEUTRAL = EMOTION_NAMES.index("neutral")


@dataclass(frozen=True)
class EmotionLDMConfig:
    """Architecture of the LDM."""

    components: int = 64           #: PCA components of the landmark displacements
    hidden: int = 256
    blocks: int = 4
    embedding: int = 32            #: width of each emotion's embedding
    dropout: float = 0.05


class FiLMBlock(nn.Module):
    """x + W2 gelu(FiLM(conv3(norm(x)), c)) over (B, H, T), condition (B, E, T)."""

    def __init__(self, hidden: int, embedding: int, dropout: float):
        super().__init__()
        self.norm = nn.LayerNorm(hidden)
        self.conv = nn.Conv1d(hidden, hidden, 3, padding=1)
        self.film = nn.Conv1d(embedding, 2 * hidden, 1)
        self.out = nn.Conv1d(hidden, hidden, 1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, condition: torch.Tensor) -> torch.Tensor:
        h = self.conv(self.norm(x.transpose(1, 2)).transpose(1, 2))
        scale, shift = self.film(condition).chunk(2, dim=1)
        return x + self.drop(self.out(F.gelu(h * (1 + scale) + shift)))


class EmotionLDM(nn.Module):
    def __init__(self, config: EmotionLDMConfig):
        super().__init__()
        self.config = config
        k, h = config.components, config.hidden
        self.register_buffer("basis", torch.zeros(k, NUM_LANDMARKS * 3))     # rows orthonormal
        self.register_buffer("scale", torch.ones(k))                         # std of each component
        self.embeddings = nn.Parameter(torch.randn(len(EMOTION_NAMES), config.embedding) * 0.5)
        self.inp = nn.Conv1d(k, h, 1)
        self.blocks = nn.ModuleList(FiLMBlock(h, config.embedding, config.dropout) for _ in range(config.blocks))
        self.head = nn.Conv1d(h, k, 1)

    def condition(self, mix: torch.Tensor, intensity: torch.Tensor) -> torch.Tensor:
        """(B, T, 8), (B, T) -> (B, E, T); neutral contributes nothing."""
        mask = torch.ones(len(EMOTION_NAMES), 1, device=mix.device)
        mask[NEUTRAL] = 0.0
        return (intensity[..., None] * (mix @ (self.embeddings * mask))).transpose(1, 2)

    def _deform(self, coeffs: torch.Tensor, condition: torch.Tensor) -> torch.Tensor:
        """(B, K, T) whitened coefficients, (B, E, T) -> (B, K, T) coefficient deformation."""
        x = self.inp(coeffs)
        for block in self.blocks:
            x = block(x, condition)
        return self.head(x)

    def deform_coeffs(self, coeffs: torch.Tensor, mix: torch.Tensor, intensity: torch.Tensor) -> torch.Tensor:
        """(B, T, K) PCA coefficients, (B, T, 8), (B, T) -> (B, T, K) change of the coefficients."""
        white = (coeffs / self.scale).transpose(1, 2)                          # (B, K, T)
        condition = self.condition(mix, intensity)
        both = self._deform(torch.cat([white, white]), torch.cat([condition, torch.zeros_like(condition)]))
        delta = both[:len(white)] - both[len(white):]                          # D(x, c) - D(x, 0), one pass
        return delta.transpose(1, 2) * self.scale

    def forward(self, displacement: torch.Tensor, mix: torch.Tensor, intensity: torch.Tensor) -> torch.Tensor:
        """(B, T, 478*3) displacement from neutral in inter-ocular units -> emotional displacement."""
        return displacement + self.deform_coeffs(displacement @ self.basis.T, mix, intensity) @ self.basis
