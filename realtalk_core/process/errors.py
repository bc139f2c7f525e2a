"""Errors of ``realtalk process``: one line naming the file and the fix."""

from __future__ import annotations

import errno
from pathlib import Path

from ..schema.errors import RealtalkError

#: errno values that mean "the disk (or the user's quota, or a file-size limit) is full".
NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class ProcessError(RealtalkError):
    """The video cannot be turned into a dataset; the message says why and what to do."""


class ResumableError(ProcessError):
    """The run stopped part-way (disk full, interrupted); re-running the same command resumes it."""


def disk_full(path: Path | str, err: OSError) -> ResumableError:
    return ResumableError(f"{path}: no space left while writing ({err.strerror or err}); free some disk space and "
                          "re-run the same command: it resumes where it stopped")
