"""What the render benchmarks share: a trained subject beside the dataset it was trained on, its conditions,
ground truth and masks at any size, rendering with the field-sample count, and labelled figures.

Conditions are the dataset's landmarks and blendshapes smoothed over the whole track with the subject's own
kernel (exactly as training saw them), so frames are rendered with ``smooth=False``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

DOCS = Path(__file__).resolve().parents[1] / "docs"


@dataclass
class Case:
    """A subject and its dataset, ready to render the dataset's frames."""

    subject: object                   #: realtalk_core.render.subject.Subject
    dataset: object                   #: realtalk_core.process.dataset.Dataset
    landmarks: np.ndarray             #: (T, 478, 3) smoothed, head frame
    blendshapes: np.ndarray           #: (T, 52) smoothed
    head_pose: np.ndarray             #: (T, 4, 4)
    mouth_boxes: np.ndarray           #: (T, 4) normalised x0, y0, x1, y1
    val: np.ndarray                   #: held-out frame indices
    same_dataset: bool                #: the subject's meta names this dataset's sha256
    samples: int = 0                  #: field evaluations of the renders so far

    def describe(self) -> str:
        """One sentence naming the subject and the data, from the subject's meta."""
        meta = self.subject.meta
        steps = meta.get("step", "?")
        text = (f"Subject `{self.subject.root}` (trained {steps} steps at {self.subject.image_size} px on "
                f"`{meta.get('dataset', '?')}`, subject.pt sha256 {self.subject.sha256[:12]}); dataset "
                f"`{self.dataset.root}`, {len(self.val)} held-out `val` frames.")
        if meta.get("command"):
            text += f" Trained with: `{meta['command']}`."
        if not self.same_dataset:
            text += (" **Warning: the subject was not trained on this dataset (sha256 differs), so `val` frames are "
                     "not known to be held out.**")
        return text

    def render(self, index: np.ndarray, size: int, with_attention: bool = False,
               blendshapes: np.ndarray | None = None, landmarks: np.ndarray | None = None):
        """Dataset frames ``index`` (optionally with replaced conditions) -> (N, S, S, 4) uint8 RGBA [, maps]."""
        index = np.asarray(index)
        model = self.subject.model

        def count(_: int) -> None:
            self.samples += model.last_samples     # Subject.render calls model.render once per batch

        return self.subject.render(self.landmarks[index] if landmarks is None else landmarks,
                                   self.blendshapes[index] if blendshapes is None else blendshapes,
                                   self.head_pose[index], size, smooth=False, progress=count,
                                   with_attention=with_attention)

    def plate(self, index: int, size: int) -> np.ndarray:
        return _resize(self.dataset.background(int(index)), size)

    def truth(self, index: int, size: int) -> np.ndarray:
        return _resize(self.dataset.frame(int(index)), size)

    def composite(self, rgba: np.ndarray, index: int) -> np.ndarray:
        """One (S, S, 4) render over frame ``index``'s own background -> (S, S, 3) uint8."""
        from realtalk_core.render.subject import over

        return over(rgba, self.plate(index, rgba.shape[0]))

    def mouth_mask(self, index: int, size: int) -> np.ndarray:
        """(S, S) bool: inside frame ``index``'s mouth box."""
        x0, y0, x1, y1 = self.mouth_boxes[int(index)]
        centres = (np.arange(size) + 0.5) / size
        return ((centres[:, None] >= y0) & (centres[:, None] <= y1)) & ((centres[None] >= x0) & (centres[None] <= x1))

    def face_region(self, index: int, size: int, grow: float = 0.06) -> np.ndarray:
        """(S, S) bool: the dataset's face label at ``index`` (the person where no face is labelled), dilated."""
        from realtalk_core.process.masks import MASK_LABELS

        labels = self.dataset.mask(int(index))
        region = labels == MASK_LABELS["face"]
        if not region.any():
            region = labels != MASK_LABELS["background"]
        region = cv2.resize(region.astype(np.uint8), (size, size), interpolation=cv2.INTER_NEAREST)
        radius = max(1, int(round(grow * size)))
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
        return cv2.dilate(region, kernel) > 0


def open_case(subject_dir: Path, dataset_dir: Path, device: str = "cpu") -> Case:
    from realtalk_core.process.dataset import load_dataset
    from realtalk_core.render.condition import smooth_over_time
    from realtalk_core.render.data import mouth_boxes
    from realtalk_core.render.subject import Subject
    from realtalk_core.schema.fileio import sha256_file

    subject = Subject.load(subject_dir, device)
    dataset = load_dataset(dataset_dir)
    tracks = dataset.tracks
    kernel = subject.model.config.condition.smoothing
    val = dataset.split("val")
    if len(val) == 0:
        raise SystemExit(f"{dataset_dir}: the dataset has no valid `val` frames to evaluate on")
    same = subject.meta.get("dataset_sha256") == sha256_file(dataset.root / "dataset.json")
    return Case(subject, dataset, smooth_over_time(tracks["landmarks"], kernel),
                smooth_over_time(tracks["blendshapes"], kernel), tracks["head_pose"].astype(np.float32),
                mouth_boxes(tracks["landmarks_image"]), val, same)


def consecutive_run(index: np.ndarray, length: int) -> np.ndarray:
    """The longest run of consecutive frame indices in ``index`` (its first ``length``)."""
    breaks = np.flatnonzero(np.diff(index) != 1) + 1
    runs = np.split(index, breaks)
    return max(runs, key=len)[:length]


def _resize(image: np.ndarray, size: int) -> np.ndarray:
    if image.shape[0] == size:
        return image
    return cv2.resize(image, (size, size), interpolation=cv2.INTER_AREA if size < image.shape[0] else cv2.INTER_CUBIC)


def save_figure(figure, path: Path, dpi: int = 100) -> None:
    """Write a matplotlib figure atomically (and close it)."""
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.png")
    figure.savefig(tmp, dpi=dpi)
    plt.close(figure)
    tmp.replace(path)


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def script_emotion(dataset, index: int) -> str | None:
    """The synth subject's scripted emotion at frame ``index`` (script.json), e.g. "fear 0.66"; None elsewhere."""
    path = Path(dataset.root) / "script.json"
    if not path.is_file():
        return None
    try:
        clips = json.loads(path.read_text("utf-8")).get("clips", [])
    except (OSError, ValueError):
        return None
    seconds = index / dataset.fps
    for clip in clips:
        if clip.get("start", 0) <= seconds <= clip.get("end", 0):
            return f"{clip.get('emotion')} {float(clip.get('intensity', 1.0)):.2f}"
    return "silence"
