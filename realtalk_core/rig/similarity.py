"""Weighted similarity / rigid alignment of point sets (Umeyama 1991), vectorised over frames.

``align(source, target)`` finds ``scale, rotation, translation`` minimising
``sum_j a_j |target_j - (scale * rotation @ source_j + translation)|^2``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Similarity:
    """``p -> scale * rotation @ p + translation`` (a batch when the fields have a leading T axis)."""

    scale: np.ndarray        # () or (T,)
    rotation: np.ndarray     # (3, 3) or (T, 3, 3), proper (det +1)
    translation: np.ndarray  # (3,) or (T, 3)

    def apply(self, points: np.ndarray) -> np.ndarray:
        """(..., N, 3) -> (..., N, 3); a batch of T transforms maps (T, N, 3) or (N, 3)."""
        rotated = np.einsum("...ij,...nj->...ni", self.rotation, points)
        return np.asarray(self.scale)[..., None, None] * rotated + self.translation[..., None, :]

    def inverse(self) -> "Similarity":
        inv_rot = np.swapaxes(self.rotation, -1, -2)
        inv_scale = 1.0 / np.asarray(self.scale)
        translation = -inv_scale[..., None] * np.einsum("...ij,...j->...i", inv_rot, self.translation)
        return Similarity(scale=inv_scale, rotation=inv_rot, translation=translation)

    def matrix(self) -> np.ndarray:
        """(4, 4) or (T, 4, 4) homogeneous matrix."""
        rot = np.asarray(self.rotation)
        out = np.zeros(rot.shape[:-2] + (4, 4))
        out[..., :3, :3] = np.asarray(self.scale)[..., None, None] * rot
        out[..., :3, 3] = self.translation
        out[..., 3, 3] = 1.0
        return out


def align(source: np.ndarray, target: np.ndarray, weights: np.ndarray | None = None,
          with_scale: bool = True) -> Similarity:
    """The similarity (or rigid motion) taking ``source`` onto ``target``.

    ``source`` (N, 3) or (T, N, 3), ``target`` (T, N, 3) or (N, 3); ``weights`` (N,) >= 0.
    """
    source = np.asarray(source, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    n = source.shape[-2]
    a = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    a = a / a.sum()
    mu_s = np.einsum("n,...nd->...d", a, source)                            # (..., 3)
    mu_t = np.einsum("n,...nd->...d", a, target)
    src = source - mu_s[..., None, :]
    tgt = target - mu_t[..., None, :]
    cov = np.einsum("n,...ni,...nj->...ij", a, tgt, src)                    # (..., 3, 3) target x source
    u, sing, vt = np.linalg.svd(cov)
    sign = np.sign(np.linalg.det(u @ vt))                                  # reflection guard
    fix = np.ones(sing.shape)
    fix[..., 2] = sign
    rotation = u @ (fix[..., :, None] * vt)
    if with_scale:
        var_s = np.einsum("n,...nd,...nd->...", a, src, src)
        scale = np.sum(sing * fix, axis=-1) / var_s
    else:
        scale = np.ones(rotation.shape[:-2])
    translation = mu_t - scale[..., None] * np.einsum("...ij,...j->...i", rotation, mu_s)
    return Similarity(scale=scale, rotation=rotation, translation=translation)
