"""A lag-free smoother for head-pose sequences: the One-Euro filter (Casiez et al., CHI 2012).

A first-order low-pass whose cutoff rises with the signal's speed: at rest it smooths
hard (``min_cutoff_hz``), in fast motion it opens up (``beta`` per unit of speed), so
jitter is removed without dragging behind real moves. Translation is filtered in
metres; rotation on the rotation group: each step moves the filtered orientation a
fraction of the way (geodesically, via quaternion log/exp) towards the measurement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .rotations import (matrix_to_quaternion, quaternion_conjugate, quaternion_exp, quaternion_log,
                        quaternion_multiply, quaternion_to_matrix)


@dataclass(frozen=True)
class OneEuroConfig:
    """One channel's filter settings."""

    min_cutoff_hz: float = 1.0
    """Cutoff at rest: lower removes more jitter."""
    beta: float = 1.0
    """Cutoff gain per unit of speed (per m/s for translation, per rad/s for rotation)."""
    derivative_cutoff_hz: float = 4.0
    """Cutoff of the speed estimate itself."""


@dataclass(frozen=True)
class PoseSmootherConfig:
    """Settings tuned at 25 fps for tracker jitter of ~0.7 mm and ~0.4 degrees per frame."""

    translation: OneEuroConfig = field(default_factory=lambda: OneEuroConfig(min_cutoff_hz=0.5, beta=50.0))
    """Translation filter (speeds in m/s: at 0.2 m/s the cutoff opens to ~10 Hz)."""
    rotation: OneEuroConfig = field(default_factory=lambda: OneEuroConfig(min_cutoff_hz=0.5, beta=6.0))
    """Rotation filter (speeds in rad/s: at 90 degrees/s the cutoff opens to ~10 Hz)."""


def _alpha(cutoff_hz: np.ndarray | float, dt: float) -> np.ndarray | float:
    """Smoothing factor of a first-order low-pass with this cutoff, for a step of ``dt`` seconds."""
    tau = 1.0 / (2.0 * np.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt)


def _one_euro_step(change: np.ndarray, speed_hat: np.ndarray, config: OneEuroConfig,
                   dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Shared core: from the raw change since the last output, the fraction to take and the new speed."""
    speed = change / dt
    speed_hat = speed_hat + _alpha(config.derivative_cutoff_hz, dt) * (speed - speed_hat)
    cutoff = config.min_cutoff_hz + config.beta * np.linalg.norm(speed_hat)
    return _alpha(cutoff, dt) * change, speed_hat


def smooth_poses(poses: np.ndarray, fps: float, config: PoseSmootherConfig | None = None) -> np.ndarray:
    """(T, 4, 4) rigid poses at ``fps`` -> (T, 4, 4) float32 smoothed poses (causal: frame t uses frames <= t)."""
    config = config or PoseSmootherConfig()
    poses = np.asarray(poses, dtype=np.float64)
    dt = 1.0 / fps
    quats = matrix_to_quaternion(poses[:, :3, :3])                        # (T, 4)
    trans = poses[:, :3, 3]                                                # (T, 3)
    out_q, out_t = np.empty_like(quats), np.empty_like(trans)
    q_hat, t_hat = quats[0], trans[0]
    q_speed, t_speed = np.zeros(3), np.zeros(3)
    for frame in range(len(poses)):
        step, t_speed = _one_euro_step(trans[frame] - t_hat, t_speed, config.translation, dt)
        t_hat = t_hat + step
        towards = quaternion_log(quaternion_multiply(quaternion_conjugate(q_hat), quats[frame]))  # (3,) rad
        turn, q_speed = _one_euro_step(towards, q_speed, config.rotation, dt)
        q_hat = quaternion_multiply(q_hat, quaternion_exp(turn))
        q_hat = q_hat / np.linalg.norm(q_hat)
        out_q[frame], out_t[frame] = q_hat, t_hat
    out = np.tile(np.eye(4), (len(poses), 1, 1))
    out[:, :3, :3] = quaternion_to_matrix(out_q)
    out[:, :3, 3] = out_t
    return out.astype(np.float32)


@dataclass(frozen=True)
class PointSmootherConfig:
    """One-Euro settings for landmark tracks in pixels (speeds in pixels per second: at 250 px/s the cutoff opens to ~9 Hz)."""

    filter: OneEuroConfig = field(default_factory=lambda: OneEuroConfig(min_cutoff_hz=1.5, beta=0.03))
    zero_phase: bool = True
    """Run the filter forwards and backwards and average: the two lags cancel (offline use)."""


def _one_euro_points(points: np.ndarray, fps: float, config: OneEuroConfig) -> np.ndarray:
    """Causal One-Euro over (T, N, D) points; each point's cutoff follows its own speed."""
    dt = 1.0 / fps
    out = np.empty_like(points)
    hat = points[0].copy()
    speed_hat = np.zeros_like(hat)
    out[0] = hat
    for frame in range(1, len(points)):
        change = points[frame] - hat
        speed_hat = speed_hat + _alpha(config.derivative_cutoff_hz, dt) * (change / dt - speed_hat)
        cutoff = config.min_cutoff_hz + config.beta * np.linalg.norm(speed_hat, axis=-1, keepdims=True)
        hat = hat + _alpha(cutoff, dt) * change
        out[frame] = hat
    return out


def smooth_points(points: np.ndarray, fps: float, config: PointSmootherConfig | None = None) -> np.ndarray:
    """(T, N, D) point tracks at ``fps`` -> smoothed tracks, same shape and dtype."""
    config = config or PointSmootherConfig()
    data = np.asarray(points, np.float64)
    if len(data) < 2:
        return np.asarray(points).copy()
    forward = _one_euro_points(data, fps, config.filter)
    if not config.zero_phase:
        return forward.astype(np.asarray(points).dtype)
    backward = _one_euro_points(data[::-1], fps, config.filter)[::-1]
    return (0.5 * (forward + backward)).astype(np.asarray(points).dtype)


def jitter(points: np.ndarray, scale: float | np.ndarray = 1.0) -> float:
    """Mean absolute second difference of (T, N, D) tracks (a still point scores 0; steady motion scores 0)."""
    data = np.asarray(points, np.float64)
    if len(data) < 3:
        return 0.0
    second = data[2:] - 2 * data[1:-1] + data[:-2]
    return float(np.mean(np.linalg.norm(second, axis=-1) / scale))
