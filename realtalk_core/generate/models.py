"""The default motion and emotion weights that ship with the package, and loading any others.

``realtalk_core/weights/motion.pt`` and ``emotion.pt`` are trained by us on the synth corpus; the
exact commands that reproduce them are in ``docs/models.md``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..schema.errors import RealtalkError

WEIGHTS_PACKAGE = "realtalk_core.weights"
DEFAULT_MOTION = "motion.pt"
DEFAULT_EMOTION = "emotion.pt"


def default_weights(name: str) -> Path:
    path = Path(str(resources.files(WEIGHTS_PACKAGE).joinpath(name)))
    if not path.is_file():
        raise RealtalkError(f"{path}: the default model weights are missing from this install; reinstall "
                            "realtalk, or pass --motion-model / --emotion-model")
    return path


def load_models(motion: str | Path | None = None, emotion: str | Path | None = None, device: str = "cpu"):
    """(MotionModel, EmotionModel) from the given checkpoints or the shipped defaults."""
    import torch

    from ..emotion import EmotionModel
    from ..motion import MotionModel

    if device.startswith("cuda") and not torch.cuda.is_available():
        raise RealtalkError("--device cuda: no CUDA device is available here; use --device cpu")
    return (MotionModel.load(motion or default_weights(DEFAULT_MOTION), device),
            EmotionModel.load(emotion or default_weights(DEFAULT_EMOTION), device))
