"""Landmarks + emotion curves -> emotional landmarks: the ResNet landmark deformation model (torch)."""

from .data import Displacement
from .model import EmotionModel

__all__ = ["Displacement", "EmotionModel"]
