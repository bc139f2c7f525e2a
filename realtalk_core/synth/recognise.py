"""A deliberately simple emotion recogniser on landmarks, to check that emotions are recognisable.

Features are one-second windows of head-frame landmarks, as the mean displacement from the
subject's neutral face, scaled by the inter-ocular distance. The classifier is nearest
centroid after standardising each feature on the training split: if *this* recognises the
emotion of unseen utterances, voices and languages, the offsets carry the emotion clearly.

Numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..schema.channels import INTEROCULAR_68, LANDMARKS_68


def window_features(landmarks: np.ndarray, neutral: np.ndarray, fps: float, seconds: float = 1.0) -> np.ndarray:
    """(T, 478, 3) landmarks -> (W, 68*3) mean displacement per whole window of ``seconds``."""
    points = np.asarray(landmarks, np.float64)[:, LANDMARKS_68] - np.asarray(neutral, np.float64)[LANDMARKS_68]
    left, right = (np.asarray(neutral)[LANDMARKS_68[i]] for i in INTEROCULAR_68)
    scale = float(np.linalg.norm(left - right))
    size = max(1, int(round(seconds * fps)))
    windows = len(points) // size
    if windows == 0:
        return np.zeros((0, points.shape[1] * 3))
    cut = points[: windows * size].reshape(windows, size, -1)
    return cut.mean(axis=1) / scale


@dataclass
class NearestCentroid:
    """Standardise, then label each sample with the closest class mean."""

    labels: np.ndarray
    centroids: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, features: np.ndarray, labels: np.ndarray) -> "NearestCentroid":
        features, labels = np.asarray(features, np.float64), np.asarray(labels)
        mean, scale = features.mean(axis=0), features.std(axis=0) + 1e-9
        normal = (features - mean) / scale
        classes = np.unique(labels)
        centroids = np.stack([normal[labels == c].mean(axis=0) for c in classes])
        return cls(classes, centroids, mean, scale)

    def predict(self, features: np.ndarray) -> np.ndarray:
        normal = (np.asarray(features, np.float64) - self.mean) / self.scale
        distance = ((normal[:, None, :] - self.centroids[None]) ** 2).sum(axis=2)
        return self.labels[np.argmin(distance, axis=1)]
