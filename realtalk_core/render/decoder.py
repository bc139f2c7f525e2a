"""The image decoder: upsamples the head's volume-rendered features, blends in the torso, outputs RGBA.

The head is volume-rendered at 1/``upsample`` of the output size (the expensive part); this small CNN
brings it to full size, sharpening what the low-resolution features imply (lips, teeth) and joining the
torso branch. Output colour is straight (not premultiplied); alpha is the person's coverage.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class DecoderConfig:
    width: int = 32           #: conv channels
    upsample: int = 2         #: output size / volume-rendering size (1, 2 or 4)
    blocks: int = 2           #: residual 3x3 conv blocks at full size


class _Block(nn.Module):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(width, width, 3, padding=1)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        inner = F.relu(self.conv1(F.relu(x)), inplace=not torch.is_grad_enabled())
        return x + self.conv2(inner)


class ImageDecoder(nn.Module):
    def __init__(self, config: DecoderConfig, head_channels: int, torso_channels: int) -> None:
        super().__init__()
        self.config = config
        self.head_in = nn.Conv2d(head_channels, config.width, 3, padding=1)
        self.merge = nn.Conv2d(config.width + torso_channels + head_channels, config.width, 3, padding=1)
        self.blocks = nn.Sequential(*[_Block(config.width) for _ in range(config.blocks)])
        self.out = nn.Conv2d(config.width, 4, 1)

    def forward(self, head: torch.Tensor, torso: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``head`` (B, Ch, h, w) at volume size (premultiplied features, opacity last), ``torso`` (B, Ct, H, W) -> rgb (B, 3, H, W), alpha (B, 1, H, W)."""
        size = torso.shape[-2:]
        if not torch.is_grad_enabled():
            # Rendering: channels-last convolutions are about 1.5x faster on CPU (oneDNN); same results.
            head, torso = (t.contiguous(memory_format=torch.channels_last) for t in (head, torso))
        lifted = F.interpolate(F.relu(self.head_in(head)), size=size, mode="bilinear", align_corners=False)
        skip = F.interpolate(head, size=size, mode="bilinear", align_corners=False)
        x = self.blocks(self.merge(torch.cat([lifted, torso, skip], dim=1)))
        out = self.out(F.relu(x))
        # The head's own rendered colour (premultiplied, over mid grey) is the starting point; the decoder
        # learns the correction.
        base = (skip[:, :3] + 0.5 * (1.0 - skip[:, -1:])).clamp(1e-4, 1 - 1e-4)
        rgb = torch.sigmoid(torch.logit(base) + out[:, :3])
        alpha = torch.sigmoid(out[:, 3:4] + 4.0 * skip[:, -1:])
        return rgb, alpha
