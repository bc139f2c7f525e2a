"""What the model trainers share: checkpoint files and small loop helpers (torch)."""

from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint

__all__ = ["CheckpointError", "load_checkpoint", "save_checkpoint"]
