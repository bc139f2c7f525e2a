"""The one error type that Take loading and validation raise."""

from __future__ import annotations


class RealtalkError(Exception):
    """A user-facing error: its message is one line that names the file and the fix.

    The CLIs print ``str(error)`` and exit with code 2; they never print a traceback for it.
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        # Keep the message to one line, whatever the caller passed.
        super().__init__(" ".join(str(message).split()))


class TakeError(RealtalkError):
    """A Take is missing, malformed, inconsistent or stale."""

    def __init__(self, path: object, field: str | None, problem: str) -> None:
        self.path = str(path)
        self.field = field
        self.problem = problem
        where = f"{self.path}: {field}" if field else self.path
        super().__init__(f"{where}: {problem}")
