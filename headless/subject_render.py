"""Rendering a Take with a trained subject (the tri-plane attention NeRF) instead of the proxy mesh.

The Take's landmarks and blendshapes are smoothed over time once, over the whole Take, exactly as the
subject was trained; frames are then rendered in small batches without further smoothing, so a frame is
the same whether it is rendered alone, in a range or in a shard.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from realtalk_core.schema import Take

from .colors import BACKGROUND_COLOR_PREFIX, parse_hex
from .errors import RenderError

#: ``--background`` value that means the subject's own plate (the default with a subject).
PLATE = "plate"


def subject_background(text: str, subject, size: int) -> np.ndarray:
    """``plate`` or ``color:#RRGGBB`` -> an (size, size, 3) uint8 image."""
    if text == PLATE:
        return subject.background(size)
    if text.startswith(BACKGROUND_COLOR_PREFIX):
        colour = parse_hex(text[len(BACKGROUND_COLOR_PREFIX):])
        return np.broadcast_to(np.array(colour, np.uint8), (size, size, 3)).copy()
    raise RenderError(f"--background {text!r}: with a subject use plate or color:#RRGGBB")


def load_subject(spec: str, device: str):
    from realtalk_core.render.subject import Subject, subject_dir

    if device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise RenderError("--device cuda: no CUDA device is available here; use --device cpu")
    return Subject.load(subject_dir(spec), device=device)


def subject_batches(subject, take: Take, size: int, background: np.ndarray) -> Callable[[list[int]], np.ndarray]:
    """A function rendering the Take's frames ``numbers`` with ``subject``, composited: (n, size, size, 3) uint8."""
    from realtalk_core.render.condition import smooth_over_time
    from realtalk_core.render.subject import over

    subject.check_size(size)
    tracks = take.tracks
    kernel = subject.model.config.condition.smoothing
    landmarks = smooth_over_time(np.asarray(tracks.landmarks, np.float32), kernel)
    blendshapes = smooth_over_time(np.asarray(tracks.blendshapes, np.float32), kernel)
    poses = np.asarray(tracks.head_pose, np.float32)

    def render(numbers: list[int]) -> np.ndarray:
        index = np.asarray(numbers) - take.frame_start
        rgba = subject.render(landmarks[index], blendshapes[index], poses[index], size, smooth=False)
        return over(rgba, background)

    return render
