"""The head field: tri-plane features, modulated by the attended condition, decoded to density and features.

Points are in the head box's normalised coordinates ([-1, 1]^3). The output feature vector's first three
channels are a colour (trained directly by the low-resolution colour loss); the rest are free features for
the image decoder.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn

from .attention import AttentionConfig, PointAttention
from .encodings import TriPlaneConfig, TriPlaneEncoding

#: Output channel names of the field's feature vector, in order; the rest are unnamed decoder features.
RGB_CHANNELS = ("red", "green", "blue")


@dataclass(frozen=True)
class FieldConfig:
    encoding: TriPlaneConfig = field(default_factory=TriPlaneConfig)
    attention: AttentionConfig = field(default_factory=AttentionConfig)
    hidden: int = 64                #: MLP width
    features: int = 16              #: output features per point (the first 3 are RGB)
    density_bias: float = -1.0      #: initial raw density offset (starts mostly transparent)


class HeadField(nn.Module):
    def __init__(self, config: FieldConfig, generator: torch.Generator | None = None) -> None:
        super().__init__()
        self.config = config
        self.encoding = TriPlaneEncoding(config.encoding, generator)
        width = self.encoding.output_dim
        self.attention = PointAttention(width, config.attention)
        self.trunk = nn.Sequential(nn.Linear(width, config.hidden), nn.ReLU(),
                                   nn.Linear(config.hidden, config.hidden), nn.ReLU())
        self.density_head = nn.Linear(config.hidden, 1)
        self.feature_head = nn.Linear(config.hidden, config.features)

    def forward(self, points: torch.Tensor, tokens: torch.Tensor, with_features: bool = True
                ) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor]:
        """``points`` (N, 3) of one frame, ``tokens`` (K, d) -> density (N,), features (N, F) or None, attention (N, K)."""
        encoded = self.encoding(points)
        modulated, weights = self.attention(encoded, tokens)
        hidden = self.trunk(modulated)
        raw = self.density_head(hidden)[:, 0] + self.config.density_bias
        density = torch.exp(raw.clamp(max=12.0))
        if not with_features:
            return density, None, weights
        features = self.feature_head(hidden)
        rgb = torch.sigmoid(features[:, :len(RGB_CHANNELS)])
        return density, torch.cat([rgb, features[:, len(RGB_CHANNELS):]], dim=-1), weights
