"""A deliberately simple emotion recogniser on landmarks, to check that emotions are recognisable.

Features are one-second windows of head-frame landmarks, as the mean displacement from the
subject's neutral face, scaled by the inter-ocular distance. The classifier is linear
discriminant analysis with a shrunk covariance, fitted on the training split: if *this* recognises the
emotion of unseen utterances, voices and languages, the offsets carry the emotion clearly.

Numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..schema.channels import LANDMARKS_68, interocular


def window_features(landmarks: np.ndarray, neutral: np.ndarray, fps: float, seconds: float = 1.0) -> np.ndarray:
    """(T, 478, 3) landmarks -> (W, 68*3) mean displacement per whole window of ``seconds``."""
    subset = np.array(LANDMARKS_68)
    points = np.asarray(landmarks, np.float64)[:, subset] - np.asarray(neutral, np.float64)[subset]
    scale = interocular(neutral)
    size = max(1, int(round(seconds * fps)))
    windows = len(points) // size
    if windows == 0:
        return np.zeros((0, points.shape[1] * 3))
    cut = points[: windows * size].reshape(windows, size, -1)
    return cut.mean(axis=1) / scale


@dataclass
class LinearDiscriminant:
    """Linear discriminant analysis with a shrunk shared covariance: one linear score per class."""

    labels: np.ndarray      # (K,) class names
    weights: np.ndarray     # (D, K)
    bias: np.ndarray        # (K,)

    @classmethod
    def fit(cls, features: np.ndarray, labels: np.ndarray, shrinkage: float = 0.5) -> "LinearDiscriminant":
        features, labels = np.asarray(features, np.float64), np.asarray(labels)
        classes = np.unique(labels)
        means = np.stack([features[labels == c].mean(axis=0) for c in classes])          # (K, D)
        centred = features - means[np.searchsorted(classes, labels)]
        covariance = np.cov(centred.T)
        target = np.eye(len(covariance)) * np.trace(covariance) / len(covariance)
        covariance = (1 - shrinkage) * covariance + shrinkage * target
        weights = np.linalg.solve(covariance, means.T)                                  # (D, K)
        bias = -0.5 * np.einsum("kd,dk->k", means, weights)
        return cls(classes, weights, bias)

    def predict(self, features: np.ndarray) -> np.ndarray:
        return self.labels[np.argmax(np.asarray(features, np.float64) @ self.weights + self.bias, axis=1)]
