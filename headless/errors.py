"""The user-facing error type of the headless renderer."""

from __future__ import annotations

from realtalk_core.schema.errors import RealtalkError


class RenderError(RealtalkError):
    """A render cannot start or finish: a bad option, an unwritable folder, a failed encode.

    Like every :class:`RealtalkError`, the message is one line; the CLI prints it and exits 2.
    """
