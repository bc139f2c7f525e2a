"""Audio2Motion: a conditional sequence VAE from audio features to neutral speech motion.

Shapes: audio ``(B, F, T)`` (features by channel, frames along time), motion ``(B, C, T)``.

* The **audio encoder** is a stack of residual dilated 1-D convolutions (non-causal: speech
  moves the mouth before the sound, so the model looks about 1 s both ways).
* The **posterior** reads audio and true motion and gives a low-rate latent ``(B, Z, T / stride)``;
  the **prior** is N(0, I). The latent carries what audio does not decide (how wide, how
  rounded, how lazy this take is), so sampling it gives natural variety; ``temperature`` scales
  the prior sample (0 = the most likely motion).
* The **decoder** reads the audio encoding and the upsampled latent and gives the motion
  channels and one lips-together logit.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass(frozen=True)
class MotionVAEConfig:
    """Architecture of the motion VAE (widths are computed from the data, never hard-coded)."""

    feature_width: int = 82        #: audio feature channels (from the feature extractor's names)
    motion_width: int = 34         #: motion channels (from the MotionSpace)
    hidden: int = 128              #: channels of every hidden layer
    encoder_dilations: tuple[int, ...] = (1, 2, 4, 8, 1, 2, 4, 8)
    decoder_dilations: tuple[int, ...] = (1, 2, 4, 1, 2, 4)
    latent: int = 8                #: latent channels
    latent_stride: int = 8         #: frames per latent step
    dropout: float = 0.1


class ChannelNorm(nn.Module):
    """Layer norm over channels at each frame: (B, H, T) -> (B, H, T); no statistics across time,
    so a frame's output never depends on how long the sequence is."""

    def __init__(self, hidden: int):
        super().__init__()
        self.norm = nn.LayerNorm(hidden)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x.transpose(1, 2)).transpose(1, 2)


class ResidualBlock(nn.Module):
    """x + conv1x1(gelu(dilated conv3(norm(x))))  — (B, H, T) -> (B, H, T)."""

    def __init__(self, hidden: int, dilation: int, dropout: float):
        super().__init__()
        self.norm = ChannelNorm(hidden)
        self.conv = nn.Conv1d(hidden, hidden, 3, padding=dilation, dilation=dilation)
        self.mix = nn.Conv1d(hidden, hidden, 1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.drop(self.mix(F.gelu(self.conv(self.norm(x)))))


def _stack(hidden: int, dilations: tuple[int, ...], dropout: float) -> nn.Sequential:
    return nn.Sequential(*[ResidualBlock(hidden, d, dropout) for d in dilations])


class MotionVAE(nn.Module):
    def __init__(self, config: MotionVAEConfig):
        super().__init__()
        self.config = config
        h = config.hidden
        self.audio_in = nn.Conv1d(config.feature_width, h, 3, padding=1)
        self.audio = _stack(h, config.encoder_dilations, config.dropout)
        self.post_in = nn.Conv1d(h + config.motion_width, h, 3, padding=1)
        self.post = _stack(h, (1, 2, 4), config.dropout)
        self.post_out = nn.Conv1d(h, 2 * config.latent, config.latent_stride, stride=config.latent_stride)
        self.dec_in = nn.Conv1d(h + config.latent, h, 3, padding=1)
        self.dec = _stack(h, config.decoder_dilations, config.dropout)
        self.dec_out = nn.Conv1d(h, config.motion_width + 1, 1)

    # ---------------------------------------------------------------- parts
    def encode_audio(self, audio: torch.Tensor) -> torch.Tensor:
        """(B, F, T) -> (B, H, T)."""
        return self.audio(self.audio_in(audio))

    def posterior(self, hidden: torch.Tensor, motion: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(B, H, T), (B, C, T) -> mean and log-variance, each (B, Z, ceil(T / stride))."""
        x = self.post(self.post_in(torch.cat([hidden, motion], dim=1)))
        x = _pad_to_stride(x, self.config.latent_stride)
        mean, log_var = self.post_out(x).chunk(2, dim=1)
        return mean, log_var.clamp(-10.0, 5.0)

    def decode(self, hidden: torch.Tensor, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(B, H, T), (B, Z, T') -> motion (B, C, T) and lips-together logits (B, T)."""
        frames = hidden.shape[-1]
        z = z.repeat_interleave(self.config.latent_stride, dim=-1)[..., :frames]
        out = self.dec_out(self.dec(self.dec_in(torch.cat([hidden, z], dim=1))))
        return out[:, :-1], out[:, -1]

    def latent_steps(self, frames: int) -> int:
        return -(-frames // self.config.latent_stride)

    # ---------------------------------------------------------------- use
    def forward(self, audio: torch.Tensor, motion: torch.Tensor):
        """Training pass: returns motion, closure logits, posterior mean and log-variance."""
        hidden = self.encode_audio(audio)
        mean, log_var = self.posterior(hidden, motion)
        z = mean + torch.randn_like(mean) * torch.exp(0.5 * log_var)
        predicted, logits = self.decode(hidden, z)
        return predicted, logits, mean, log_var

    @torch.no_grad()
    def sample(self, audio: torch.Tensor, temperature: float = 1.0,
               generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Generation: (B, F, T) -> motion (B, C, T), lips-together probability (B, T)."""
        hidden = self.encode_audio(audio)
        shape = (audio.shape[0], self.config.latent, self.latent_steps(audio.shape[-1]))
        z = torch.randn(shape, generator=generator, device=audio.device, dtype=audio.dtype) * float(temperature)
        predicted, logits = self.decode(hidden, z)
        return predicted, torch.sigmoid(logits)


def _pad_to_stride(x: torch.Tensor, stride: int) -> torch.Tensor:
    extra = (-x.shape[-1]) % stride
    return F.pad(x, (0, extra), mode="replicate") if extra else x


def kl_divergence(mean: torch.Tensor, log_var: torch.Tensor, free_bits: float = 0.0) -> torch.Tensor:
    """KL(q || N(0, I)) per latent element, averaged; ``free_bits`` nats per element are not penalised."""
    kl = 0.5 * (mean.pow(2) + log_var.exp() - 1.0 - log_var)
    return torch.clamp(kl.mean(dim=(0, 2)), min=free_bits).sum() / kl.shape[1]
