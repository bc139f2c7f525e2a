"""``realtalk process``: a talking video (or a MEAD speaker) -> a subject dataset.

See ``pipeline.py`` for the order of work and ``dataset.py`` for the format.
"""

from .dataset import Dataset, load_dataset
from .errors import ProcessError, ResumableError
from .passes import PassConfig
from .pipeline import ProcessConfig, process_video

__all__ = ["Dataset", "load_dataset", "ProcessError", "ResumableError", "PassConfig", "ProcessConfig",
           "process_video"]
