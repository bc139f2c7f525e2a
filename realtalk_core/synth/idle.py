"""What a face does besides speaking: blinks, gaze drift and head motion. All seeded.

- **Blinks**: inter-blink intervals drawn log-normally (median about 3 s, the spontaneous
  rate of a talking adult is 15-30 per minute), a fast close, a short hold, a slower
  re-opening, and the occasional double blink.
- **Gaze**: a slow mean-reverting drift of a few degrees with small saccades.
- **Head**: slow mean-reverting rotation whose amplitude grows with speech energy, plus a nod
  that follows the rises in energy (stressed syllables), and a small sway of position.

Numpy only. T frames at ``fps``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..schema.channels import ARKIT_BLENDSHAPE_NAMES, blendshape_index


@dataclass(frozen=True)
class BlinkConfig:
    """Spontaneous blinks."""

    median_interval: float = 3.0   #: seconds between blinks (log-normal median)
    spread: float = 0.5            #: log-normal sigma of the interval
    min_interval: float = 0.7      #: seconds
    close: float = 0.075           #: seconds to close
    hold: float = 0.03             #: seconds fully closed
    reopen: float = 0.16           #: seconds to re-open
    double_chance: float = 0.1     #: share of blinks followed at once by a second


@dataclass(frozen=True)
class GazeConfig:
    """Gaze drift, in eyeLook channel weights."""

    amplitude: float = 0.12      #: typical excursion
    time_constant: float = 1.5   #: seconds; mean-reversion of the drift
    saccade_interval: float = 1.8  #: mean seconds between small saccades


@dataclass(frozen=True)
class HeadMotionConfig:
    """Head motion, degrees and metres."""

    distance: float = 0.6                           #: head to camera, metres
    sway_degrees: tuple[float, float, float] = (2.0, 3.0, 1.2)  #: pitch, yaw, roll typical amplitude
    time_constant: float = 1.2                       #: seconds; mean-reversion of the sway
    nod_degrees: float = 2.0                         #: pitch change per unit rise of energy
    energy_gain: float = 0.8                         #: extra sway amplitude at full speech energy
    sway_metres: float = 0.006                       #: typical position sway


def blink_weights(rng: np.random.Generator, frames: int, fps: float, config: BlinkConfig | None = None) -> np.ndarray:
    """(T,) eyelid closure in [0, 1]."""
    config = config or BlinkConfig()
    times = np.arange(frames) / fps
    out = np.zeros(frames)
    if frames == 0:
        return out
    t = float(rng.uniform(0.3, config.median_interval))
    while t < times[-1] + 1.0:
        blinks = [t]
        if rng.random() < config.double_chance:
            blinks.append(t + config.close + config.hold + config.reopen + 0.05)
        for start in blinks:
            depth = float(rng.uniform(0.92, 1.0))
            rise = np.clip((times - start) / config.close, 0, 1)
            fall = np.clip((times - start - config.close - config.hold) / config.reopen, 0, 1)
            shape = np.where(times < start + config.close, _ease(rise), 1.0 - _ease(fall))
            shape[times < start] = 0.0
            out = np.maximum(out, depth * shape)
        t = blinks[-1] + max(config.min_interval, float(rng.lognormal(np.log(config.median_interval), config.spread)))
    return out


def _ease(x: np.ndarray) -> np.ndarray:
    return x * x * (3 - 2 * x)


def _mean_reverting(rng: np.random.Generator, frames: int, fps: float, tau: float, dims: int) -> np.ndarray:
    """(T, dims) smooth stationary noise with unit standard deviation.

    An Ornstein-Uhlenbeck process (time constant ``tau``) is rough from frame to frame, so it
    is smoothed with a zero-phase Gaussian (sigma ``tau / 4``) and rescaled by the exact
    variance the smoothing removes.
    """
    decay = np.exp(-1.0 / (fps * tau))
    kicks = rng.standard_normal((frames, dims)) * np.sqrt(1 - decay ** 2)
    raw = np.empty((frames, dims))
    state = rng.standard_normal(dims)
    for i in range(frames):
        state = decay * state + kicks[i]
        raw[i] = state
    kernel = _gaussian(tau * fps / 4)
    offsets = np.arange(len(kernel))
    lags = np.abs(offsets[:, None] - offsets[None, :])
    variance = float(kernel @ (decay ** lags) @ kernel)
    smooth = np.stack([_smooth_with(raw[:, d], kernel) for d in range(dims)], axis=1)
    return smooth / np.sqrt(variance)


def _smooth_with(values: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    radius = len(kernel) // 2
    return np.convolve(np.pad(values, radius, mode="reflect" if len(values) > radius else "edge"), kernel, "valid")


def gaze_weights(rng: np.random.Generator, frames: int, fps: float, config: GazeConfig | None = None) -> np.ndarray:
    """(T, 52) eyeLook weights: both eyes drift together, with small saccades."""
    config = config or GazeConfig()
    drift = _mean_reverting(rng, frames, fps, config.time_constant, 2) * 0.5
    steps = rng.random(frames) < 1.0 / (config.saccade_interval * fps)
    fixations = rng.normal(0, 0.6, (int(steps.sum()) + 1, 2))          # where each fixation rests
    held = fixations[np.cumsum(steps)]                                   # (T, 2) held until the next saccade
    direction = np.clip(drift + held, -2, 2) * config.amplitude          # (T, 2): subject's left, up
    out = np.zeros((frames, len(ARKIT_BLENDSHAPE_NAMES)))
    horizontal, vertical = direction[:, 0], direction[:, 1]
    # looking to the subject's left: left eye looks out, right eye looks in
    for name, values in (("eyeLookOutLeft", horizontal), ("eyeLookInRight", horizontal),
                         ("eyeLookInLeft", -horizontal), ("eyeLookOutRight", -horizontal),
                         ("eyeLookUpLeft", vertical), ("eyeLookUpRight", vertical),
                         ("eyeLookDownLeft", -vertical), ("eyeLookDownRight", -vertical)):
        out[:, blendshape_index(name)[0]] = np.clip(values, 0, 1)
    return out


def euler_matrix(pitch: np.ndarray, yaw: np.ndarray, roll: np.ndarray) -> np.ndarray:
    """(T,) radians each -> (T, 3, 3) rotations R = Rz(roll) Ry(yaw) Rx(pitch)."""
    cx, sx, cy, sy, cz, sz = np.cos(pitch), np.sin(pitch), np.cos(yaw), np.sin(yaw), np.cos(roll), np.sin(roll)
    one, zero = np.ones_like(pitch), np.zeros_like(pitch)
    rx = np.stack([one, zero, zero, zero, cx, -sx, zero, sx, cx], -1).reshape(-1, 3, 3)
    ry = np.stack([cy, zero, sy, zero, one, zero, -sy, zero, cy], -1).reshape(-1, 3, 3)
    rz = np.stack([cz, -sz, zero, sz, cz, zero, zero, zero, one], -1).reshape(-1, 3, 3)
    return rz @ ry @ rx


def head_poses(rng: np.random.Generator, energy: np.ndarray, fps: float,
               config: HeadMotionConfig | None = None) -> np.ndarray:
    """(T,) speech energy in [0, 1] -> (T, 4, 4) rigid head-to-camera poses."""
    config = config or HeadMotionConfig()
    frames = len(energy)
    level = _smooth(np.asarray(energy, np.float64), fps, 0.25)
    amplitude = 1.0 + config.energy_gain * level
    sway = _mean_reverting(rng, frames, fps, config.time_constant, 3) * np.radians(config.sway_degrees)
    rise = np.clip(np.gradient(_smooth(level, fps, 0.1)) * fps, 0, None)
    nod = np.radians(config.nod_degrees) * _smooth(rise, fps, 0.12) * 0.3
    pitch = sway[:, 0] * amplitude - nod
    yaw, roll = sway[:, 1] * amplitude, sway[:, 2] * amplitude
    poses = np.zeros((frames, 4, 4))
    poses[:, :3, :3] = euler_matrix(pitch, yaw, roll)
    shift = _mean_reverting(rng, frames, fps, config.time_constant * 2, 3) * config.sway_metres
    poses[:, :3, 3] = shift + np.array([0.0, 0.0, -config.distance])
    poses[:, 3, 3] = 1.0
    return poses


def _gaussian(sigma: float) -> np.ndarray:
    radius = max(1, int(np.ceil(3 * sigma)))
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    return kernel / kernel.sum()


def _smooth(values: np.ndarray, fps: float, seconds: float) -> np.ndarray:
    """Zero-phase Gaussian smoothing along time (sigma ``seconds``)."""
    if len(values) == 0 or seconds * fps < 1e-3:
        return values.copy()
    return _smooth_with(values, _gaussian(seconds * fps))


def speech_energy(samples: np.ndarray, sample_rate: int, fps: float, frames: int) -> np.ndarray:
    """(T,) speech loudness per frame in [0, 1] (dB above the clip's floor, over 40 dB)."""
    hop = sample_rate / fps
    edges = np.round(np.arange(frames + 1) * hop).astype(int)
    squares = np.concatenate([[0.0], np.cumsum(np.asarray(samples, np.float64) ** 2)])
    edges = np.clip(edges, 0, len(samples))
    counts = np.maximum(np.diff(edges), 1)
    rms = np.sqrt((squares[edges[1:]] - squares[edges[:-1]]) / counts + 1e-12)
    db = 20 * np.log10(rms + 1e-9)
    floor = np.percentile(db, 5) if frames else 0.0
    return np.clip((db - floor) / 40.0, 0.0, 1.0)
