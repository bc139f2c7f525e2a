"""A background thread that encodes and writes finished frames while the model renders the next ones.

PNG encoding, hashing and the status-file update release the GIL for most of their time, so on a CPU they
overlap with the model's next batch instead of adding to it. The queue is short, so a slow disk holds the
renderer back rather than piling frames up in memory. A failed write (a full or read-only disk) is raised in
the rendering thread at its next hand-over, and frames handed over before a Ctrl-C are still written.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Callable

import numpy as np

from .frames import write_frame
from .ledger import Ledger

_STOP = object()


class FrameWriter:
    """``put(number, image, seconds)`` hands a frame over; ``close()`` waits for all of them to be written."""

    def __init__(self, frames_dir: Path, ledger: Ledger, on_written: Callable[[], None] = lambda: None,
                 depth: int = 2) -> None:
        self.frames_dir = frames_dir
        self.ledger = ledger
        self.on_written = on_written
        self.written = 0
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="realtalk-frame-writer", daemon=True)
        self._thread.start()

    def put(self, number: int, image: np.ndarray, seconds: float) -> None:
        self._raise()
        self._queue.put((number, image, seconds))

    def close(self) -> None:
        """Write everything handed over, stop the thread, and raise a write error if one happened."""
        self._queue.put(_STOP)
        self._thread.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if self._error is not None:
                continue                      # drain without writing after a failure
            number, image, seconds = item
            try:
                sha = write_frame(self.frames_dir, number, image)
                self.ledger.record(number, sha, seconds)
                self.written += 1
                self.on_written()
            except BaseException as error:   # noqa: BLE001 - handed to the rendering thread
                self._error = error
