"""The subject's camera: pinhole intrinsics fitted from a dataset, and rays in the head's canonical frame.

Convention (the Take's and the proxy renderer's): camera space looks down -z with +y up; head pose maps
head-frame points to camera space, ``p_cam = R p_head + t``. Image coordinates are normalised to [0, 1]
(x right, y down), so one set of intrinsics serves any output size. Pixel (i, j) covers [i, i+1) x [j, j+1)
and its ray goes through the pixel centre.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class Intrinsics:
    """Pinhole intrinsics in units of the image side: u = cx + f X / -Z, v = cy - f Y / -Z."""

    focal: float
    cx: float = 0.5
    cy: float = 0.5

    def to_json(self) -> dict[str, float]:
        return {"focal": self.focal, "cx": self.cx, "cy": self.cy}


def fit_intrinsics(landmarks: np.ndarray, head_pose: np.ndarray, landmarks_image: np.ndarray) -> np.ndarray:
    """Per-frame (focal, cx, cy) from head-frame landmarks, poses and their image positions.

    ``landmarks`` (T, N, 3) head frame, ``head_pose`` (T, 4, 4), ``landmarks_image`` (T, N, >=2) in [0, 1].
    A linear least-squares fit per frame (3 unknowns, N points); returns (T, 3) float64.
    """
    camera = np.einsum("tij,tnj->tni", head_pose[:, :3, :3].astype(np.float64), landmarks.astype(np.float64))
    camera += head_pose[:, None, :3, 3]
    depth = np.maximum(-camera[..., 2], 1e-6)                    # (T, N)
    a, b = camera[..., 0] / depth, -camera[..., 1] / depth       # u = cx + f a,  v = cy + f b
    u, v = landmarks_image[..., 0].astype(np.float64), landmarks_image[..., 1].astype(np.float64)
    n = a.shape[1]
    # Normal equations of [a 1 0; b 0 1] [f cx cy]^T = [u; v], per frame.
    saa = (a * a).sum(1) + (b * b).sum(1)
    sa, sb = a.sum(1), b.sum(1)
    rhs_f = (a * u).sum(1) + (b * v).sum(1)
    rhs_x, rhs_y = u.sum(1), v.sum(1)
    matrix = np.zeros((len(a), 3, 3))
    matrix[:, 0] = np.stack([saa, sa, sb], 1)
    matrix[:, 1] = np.stack([sa, np.full_like(sa, n), np.zeros_like(sa)], 1)
    matrix[:, 2] = np.stack([sb, np.zeros_like(sb), np.full_like(sb, n)], 1)
    rhs = np.stack([rhs_f, rhs_x, rhs_y], 1)
    return np.linalg.solve(matrix, rhs[..., None])[..., 0]


def median_intrinsics(per_frame: np.ndarray) -> Intrinsics:
    """One camera for the subject: the per-frame fits' median (robust to a few bad frames)."""
    focal, cx, cy = np.median(per_frame, axis=0)
    return Intrinsics(float(focal), float(cx), float(cy))


def pixel_grid(height: int, width: int, box: tuple[int, int, int, int] | None = None,
               device: torch.device | str = "cpu") -> torch.Tensor:
    """(h, w, 2) normalised pixel-centre coordinates of the window ``box = (y0, x0, h, w)`` of an image."""
    y0, x0, h, w = box if box is not None else (0, 0, height, width)
    ys = (torch.arange(y0, y0 + h, device=device, dtype=torch.float32) + 0.5) / height
    xs = (torch.arange(x0, x0 + w, device=device, dtype=torch.float32) + 0.5) / width
    return torch.stack(torch.meshgrid(xs, ys, indexing="xy"), dim=-1)


def head_rays(uv: torch.Tensor, intrinsics: torch.Tensor, head_pose: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Rays through normalised image points, expressed in the head frame.

    ``uv`` (B, ..., 2); ``intrinsics`` (B, 3) focal, cx, cy; ``head_pose`` (B, 4, 4).
    Returns origins and unit directions, each (B, ..., 3).
    """
    shape = uv.shape[:-1]
    flat = uv.reshape(uv.shape[0], -1, 2)
    focal, cx, cy = (intrinsics[:, i, None] for i in range(3))
    direction = torch.stack([(flat[..., 0] - cx) / focal, -(flat[..., 1] - cy) / focal,
                             -torch.ones_like(flat[..., 0])], dim=-1)              # camera space (B, P, 3)
    rotation, translation = head_pose[:, :3, :3], head_pose[:, :3, 3]
    # head = R^T (cam - t): directions rotate by R^T, the camera origin maps to -R^T t.
    direction = torch.einsum("bji,bpj->bpi", rotation, direction)
    direction = direction / direction.norm(dim=-1, keepdim=True)
    origin = -torch.einsum("bji,bj->bi", rotation, translation)[:, None, :].expand_as(direction)
    return origin.reshape(*shape, 3), direction.reshape(*shape, 3)


def project_points(points: torch.Tensor, intrinsics: torch.Tensor, head_pose: torch.Tensor) -> torch.Tensor:
    """(B, N, 3) head-frame points -> (B, N, 2) normalised image coordinates."""
    camera = torch.einsum("bij,bnj->bni", head_pose[:, :3, :3], points) + head_pose[:, None, :3, 3]
    depth = (-camera[..., 2]).clamp_min(1e-6)
    focal, cx, cy = (intrinsics[:, i, None] for i in range(3))
    return torch.stack([cx + focal * camera[..., 0] / depth, cy - focal * camera[..., 1] / depth], dim=-1)
