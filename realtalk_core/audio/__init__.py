"""Speech audio: decoding, checks, and the features the motion models read.

The features are numpy only; :func:`load_audio` imports soundfile, scipy and imageio-ffmpeg
when it decodes a file, so importing this package needs numpy alone.
"""

from .checks import AudioCheckConfig, AudioError, AudioReport, check_audio
from .decode import DecodeConfig, DecodedAudio, load_audio
from .features import (AudioFeatureConfig, AudioFeatures, RawRows, extract_features, extract_features_long,
                       raw_rows, row_count)

__all__ = ["AudioCheckConfig", "AudioError", "AudioFeatureConfig", "AudioFeatures", "AudioReport", "DecodeConfig",
           "DecodedAudio", "RawRows", "check_audio", "extract_features", "extract_features_long", "load_audio",
           "raw_rows", "row_count"]
