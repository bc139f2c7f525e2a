"""Audio -> neutral speech motion: the conditional sequence VAE, its data, training and inference (torch)."""

from .model import MotionModel, SpeechMotion
from .space import LIPS_TOGETHER, SPEECH_CHANNELS, MotionSpace

__all__ = ["LIPS_TOGETHER", "MotionModel", "MotionSpace", "SPEECH_CHANNELS", "SpeechMotion"]
