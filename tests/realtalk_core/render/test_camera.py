"""The subject camera: intrinsics fitted from landmarks, pixel centres, and rays in the head frame."""

from __future__ import annotations

import numpy as np
import torch

from realtalk_core.render.camera import (Intrinsics, fit_intrinsics, head_rays, median_intrinsics, pixel_grid,
                                         project_points)


def _poses(frames: int, rng: np.random.Generator) -> np.ndarray:
    """(T, 4, 4) head -> camera: small random rotations, the head 0.5-0.8 m in front (-z)."""
    poses = np.tile(np.eye(4), (frames, 1, 1))
    for t in range(frames):
        axis = rng.normal(size=3)
        axis /= np.linalg.norm(axis)
        angle = rng.uniform(-0.3, 0.3)
        k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
        poses[t, :3, :3] = np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k     # Rodrigues
        poses[t, :3, 3] = [rng.uniform(-0.03, 0.03), rng.uniform(-0.03, 0.03), rng.uniform(-0.8, -0.5)]
    return poses


def _pinhole(points: np.ndarray, poses: np.ndarray, camera: Intrinsics) -> np.ndarray:
    """The documented model, written out: u = cx + f X / -Z, v = cy - f Y / -Z."""
    cam = np.einsum("tij,tnj->tni", poses[:, :3, :3], points) + poses[:, None, :3, 3]
    return np.stack([camera.cx + camera.focal * cam[..., 0] / -cam[..., 2],
                     camera.cy - camera.focal * cam[..., 1] / -cam[..., 2]], axis=-1)


def test_fit_intrinsics_recovers_a_known_pinhole():
    rng = np.random.default_rng(0)
    truth = Intrinsics(focal=1.9, cx=0.47, cy=0.53)
    points = rng.uniform(-0.08, 0.08, size=(5, 478, 3))
    poses = _poses(5, rng)
    image = np.concatenate([_pinhole(points, poses, truth), np.zeros((5, 478, 1))], axis=-1)   # (T, N, 3)
    per_frame = fit_intrinsics(points, poses, image)
    assert per_frame.shape == (5, 3)
    np.testing.assert_allclose(per_frame, np.tile([1.9, 0.47, 0.53], (5, 1)), atol=1e-9)
    # one bad frame does not move the subject's camera
    per_frame[2] = [9.0, 0.1, 0.9]
    fitted = median_intrinsics(per_frame)
    assert abs(fitted.focal - 1.9) < 1e-9 and abs(fitted.cx - 0.47) < 1e-9 and abs(fitted.cy - 0.53) < 1e-9


def test_project_points_is_the_documented_pinhole():
    rng = np.random.default_rng(1)
    camera = Intrinsics(1.7, 0.5, 0.52)
    points, poses = rng.uniform(-0.1, 0.1, size=(3, 20, 3)), _poses(3, rng)
    uv = project_points(torch.from_numpy(points), torch.tensor([[1.7, 0.5, 0.52]] * 3, dtype=torch.float64),
                        torch.from_numpy(poses))
    np.testing.assert_allclose(uv.numpy(), _pinhole(points, poses, camera), atol=1e-12)


def test_head_rays_pass_through_the_points_they_were_projected_from():
    rng = np.random.default_rng(2)
    points = torch.from_numpy(rng.uniform(-0.1, 0.1, size=(4, 30, 3)))                  # (B, N, 3) head frame
    poses = torch.from_numpy(_poses(4, rng))
    intrinsics = torch.tensor([[1.8, 0.48, 0.51]] * 4, dtype=torch.float64)
    uv = project_points(points, intrinsics, poses)                                        # (B, N, 2)
    origins, directions = head_rays(uv, intrinsics, poses)
    assert origins.shape == directions.shape == (4, 30, 3)
    torch.testing.assert_close(directions.norm(dim=-1), torch.ones(4, 30, dtype=torch.float64))
    # the camera centre, in the head frame, is where the pose puts the origin: R o + t = 0
    camera_centre = torch.einsum("bij,bnj->bni", poses[:, :3, :3], origins) + poses[:, None, :3, 3]
    torch.testing.assert_close(camera_centre, torch.zeros_like(camera_centre), atol=1e-12, rtol=0)
    # every point lies on its ray, in front of the camera
    offset = points - origins
    along = (offset * directions).sum(-1)
    assert (along > 0.3).all()
    torch.testing.assert_close(origins + along[..., None] * directions, points, atol=1e-12, rtol=0)


def test_pixel_grid_holds_pixel_centres_x_then_y_and_windows_are_crops():
    grid = pixel_grid(8, 6)
    assert grid.shape == (8, 6, 2)
    assert torch.equal(grid[0, 0], torch.tensor([0.5 / 6, 0.5 / 8]))
    assert torch.equal(grid[7, 5], torch.tensor([5.5 / 6, 7.5 / 8]))
    assert torch.equal(grid[2, 4], torch.tensor([4.5 / 6, 2.5 / 8]))              # row 2 is y, column 4 is x
    window = pixel_grid(8, 6, (2, 1, 4, 3))                                       # (y0, x0, h, w)
    assert torch.equal(window, grid[2:6, 1:4])
