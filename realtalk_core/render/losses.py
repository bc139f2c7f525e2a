"""Training losses of a subject, each named: photometric, mouth-weighted, SSIM, alpha/mask, head colour, TV."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class LossConfig:
    photometric: float = 1.0     #: L1 of the composited frame
    mouth: float = 2.0           #: extra L1 inside the mouth box
    ssim: float = 0.2            #: 1 - SSIM (kornia), window 7
    alpha: float = 0.1           #: BCE of alpha against the person mask
    head_rgb: float = 0.3        #: L1 of the low-resolution volume colour over the plate
    tv: float = 1e-3             #: total variation of the tri-planes


def composite(rgb: torch.Tensor, alpha: torch.Tensor, plate: torch.Tensor) -> torch.Tensor:
    """Straight colour over a background: (B, 3, H, W)."""
    return rgb * alpha + plate * (1.0 - alpha)


def mouth_mask(boxes: torch.Tensor, size: int, window: tuple[int, int, int, int]) -> torch.Tensor:
    """(B, 4) normalised mouth boxes -> (B, 1, h, w) 0/1 mask of the window."""
    y0, x0, h, w = window
    ys = (torch.arange(y0, y0 + h, dtype=torch.float32) + 0.5) / size
    xs = (torch.arange(x0, x0 + w, dtype=torch.float32) + 0.5) / size
    inside_x = (xs[None] >= boxes[:, 0:1]) & (xs[None] <= boxes[:, 2:3])                # (B, w)
    inside_y = (ys[None] >= boxes[:, 1:2]) & (ys[None] <= boxes[:, 3:4])                # (B, h)
    return (inside_y[:, :, None] & inside_x[:, None, :]).float()[:, None]


def psnr(image: torch.Tensor, target: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """PSNR in dB of images in [0, 1], optionally inside a (B, 1, H, W) mask."""
    error = (image - target).square()
    if mask is not None:
        mse = (error * mask).sum() / (mask.sum() * image.shape[1]).clamp_min(1.0)
    else:
        mse = error.mean()
    return -10.0 * torch.log10(mse.clamp_min(1e-10))


def subject_losses(out: dict[str, torch.Tensor], target: torch.Tensor, plate: torch.Tensor, person: torch.Tensor,
                   mouth: torch.Tensor, tv: torch.Tensor, config: LossConfig) -> dict[str, torch.Tensor]:
    """Named loss terms and their weighted ``total``. Images (B, 3, h, w) in [0, 1]; masks (B, 1, h, w)."""
    from kornia.losses import ssim_loss

    image = composite(out["rgb"], out["alpha"], plate)
    l1 = (image - target).abs()
    head = out["head"]
    small = head.shape[-2:]
    head_rgb = head[:, :3] + F.interpolate(plate, size=small, mode="area") * (1.0 - head[:, -1:])
    terms = {
        "photometric": l1.mean(),
        "mouth": (l1 * mouth).sum() / (mouth.sum() * 3).clamp_min(1.0),
        "ssim": ssim_loss(image, target, window_size=7),
        "alpha": F.binary_cross_entropy(out["alpha"].clamp(1e-5, 1 - 1e-5), person),
        "head_rgb": (head_rgb - F.interpolate(target, size=small, mode="area")).abs().mean(),
        "tv": tv,
    }
    terms["total"] = sum(getattr(config, name) * value for name, value in terms.items())
    with torch.no_grad():
        terms["psnr"] = psnr(image, target)
    return terms
