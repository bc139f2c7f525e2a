"""Speech audio: loading and the features the motion models read (numpy only)."""

from .features import AudioFeatureConfig, AudioFeatures, extract_features

__all__ = ["AudioFeatureConfig", "AudioFeatures", "extract_features"]
