"""A compact strip for the one running :class:`~realtalk_ui.jobs.CliJob`: stage, progress bar, Cancel.

Hidden while idle. Failures go to :attr:`JobPanel.on_error` (a critical message box unless a
test or an embedding window replaces it); results leave through :attr:`JobPanel.jobSucceeded`.
"""

from __future__ import annotations

from typing import Callable

from PyQt6.QtCore import pyqtSignal
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QWidget

from realtalk_ui.jobs import CliJob

#: ``on_error(parent, title, message)``, the shape of ``QMessageBox.critical``.
ErrorHandler = Callable[[QWidget, str, str], object]


def show_critical(parent: QWidget, title: str, message: str) -> None:
    QMessageBox.critical(parent, title, message)


class JobPanel(QWidget):
    """Runs one job at a time and shows its progress; hidden when idle."""

    #: The job finished with these outputs.
    jobSucceeded = pyqtSignal(dict)
    #: The job failed with this message (after ``on_error`` was called).
    jobFailed = pyqtSignal(str)
    #: The job was cancelled.
    jobCancelled = pyqtSignal()
    #: A warning from the running job.
    jobWarning = pyqtSignal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: Called with (parent, title, message) when a job fails; replace it to show errors elsewhere.
        self.on_error: ErrorHandler = show_critical
        self._job: CliJob | None = None
        #: The most recent job, kept so its outputs and exit code can still be read.
        self.last_job: CliJob | None = None

        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(True)
        self.bar.setMaximumHeight(16)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop the job; finished frames are kept")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    @property
    def busy(self) -> bool:
        return self._job is not None

    @property
    def job(self) -> CliJob | None:
        """The running job, if any."""
        return self._job

    def run(self, job: CliJob) -> None:
        """Show the panel and start ``job``; refused while another job runs."""
        if self._job is not None:
            raise RuntimeError(f"{self._job.title} is still running")
        self._job = self.last_job = job
        job.progress.connect(self._on_progress)
        job.warning.connect(self.jobWarning)
        job.succeeded.connect(self._on_succeeded)
        job.failed.connect(self._on_failed)
        job.cancelled.connect(self._on_cancelled)
        job.finishedAny.connect(self._on_finished)
        self.label.setText(f"{job.title}: starting")
        self.bar.setRange(0, 0)  # busy until the first progress event
        self.cancel_button.setEnabled(True)
        self.show()
        job.start()

    def cancel(self) -> None:
        if self._job is not None and self._job.is_running:
            self.cancel_button.setEnabled(False)
            self.label.setText(f"{self._job.title}: cancelling")
            self._job.cancel()

    # ------------------------------------------------------------ job signals
    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if self._job is None:
            return
        if self.cancel_button.isEnabled():
            self.label.setText(f"{self._job.title}: {stage}")
        if total < 0:
            self.bar.setRange(0, 0)
            self.bar.setFormat(f"{done}")
        else:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(min(done, max(total, 1)))
            self.bar.setFormat(f"{done} / {total}")

    def _on_succeeded(self, outputs: dict) -> None:
        self.jobSucceeded.emit(outputs)

    def _on_failed(self, message: str) -> None:
        title = f"{self._job.title} failed" if self._job is not None else "Job failed"
        self.on_error(self.window(), title, message)
        self.jobFailed.emit(message)

    def _on_cancelled(self) -> None:
        self.jobCancelled.emit()

    def _on_finished(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            for sig, slot in ((job.progress, self._on_progress), (job.warning, self.jobWarning),
                              (job.succeeded, self._on_succeeded), (job.failed, self._on_failed),
                              (job.cancelled, self._on_cancelled), (job.finishedAny, self._on_finished)):
                sig.disconnect(slot)
        self.bar.setRange(0, 1)
        self.bar.reset()
        self.label.clear()
        self.hide()
