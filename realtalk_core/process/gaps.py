"""Frames without a face: finding the runs, describing them, filling short ones."""

from __future__ import annotations

import numpy as np


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Inclusive (first, last) frame ranges where ``mask`` is True."""
    mask = np.asarray(mask, bool)
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return [(int(a), int(b)) for a, b in zip(starts, stops)]


def describe(ranges: list[tuple[int, int]], limit: int = 8) -> str:
    """'3-7, 40, 52-60' (at most ``limit`` ranges, then '... and N more')."""
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in ranges[:limit]]
    if len(ranges) > limit:
        parts.append(f"... and {len(ranges) - limit} more")
    return ", ".join(parts)


def interpolate(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Fill the frames where ``known`` is False by linear interpolation in time (edges hold the nearest value).

    ``values`` is (T, ...); at least one frame must be known.
    """
    values = np.asarray(values)
    known = np.asarray(known, bool)
    if known.all():
        return values.copy()
    if not known.any():
        raise ValueError("no known frame to interpolate from")
    frames = np.arange(len(values))
    flat = values.reshape(len(values), -1).astype(np.float64)
    out = np.empty_like(flat)
    for column in range(flat.shape[1]):
        out[:, column] = np.interp(frames, frames[known], flat[known, column])
    return out.reshape(values.shape).astype(values.dtype)


def short_gaps(missing: np.ndarray, max_gap: int) -> np.ndarray:
    """(T,) True on missing frames that lie in a run of at most ``max_gap`` frames (those get interpolated)."""
    out = np.zeros(len(missing), bool)
    for first, last in runs(missing):
        if last - first + 1 <= max_gap:
            out[first:last + 1] = True
    return out
