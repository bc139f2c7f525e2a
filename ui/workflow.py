"""What the previewer asks the command-line tools to do: generate, re-bake emotion, render previews, export.

Every operation is a :class:`~jobs.CliJob` run in the window's :class:`~job_panel.JobPanel`, so the GUI reaches
the models only through the CLIs and their JSON-lines progress. Preview renders go to a cache folder per Take
(never inside the Take); generated Takes go beside their audio file.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from PyQt6.QtCore import QObject, pyqtSignal

from .curves_model import EmotionCurvesModel
from .job_panel import JobPanel
from .jobs import CliJob, export_video_job, generate_job, rebake_job, render_preview_job
from .model import TakeModel
from .render_view import RenderView

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".ogg")
PREVIEW_SIZE = 256
EXPORT_SIZE = 512


def is_audio(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in AUDIO_SUFFIXES


def is_take(path: Path) -> bool:
    return path.is_dir() and (path / "take.json").is_file()


def new_take_folder(audio: Path, fallback: Path) -> Path:
    """``<audio stem>_take`` beside the audio (``_2``, ``_3``... when taken), or under ``fallback`` if read-only."""
    parent = audio.parent if _writable(audio.parent) else fallback
    for number in range(1, 1000):
        folder = parent / (f"{audio.stem}_take" + (f"_{number}" if number > 1 else ""))
        if not folder.exists():
            return folder
    raise RuntimeError(f"{parent}: too many takes of {audio.name}")


def _writable(folder: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


class Workflow(QObject):
    """Runs the CLI jobs of one window; emits ``takeReady(path)`` when a Take should be (re)opened."""

    takeReady = pyqtSignal(str)
    message = pyqtSignal(str)

    def __init__(self, model: TakeModel, curves: EmotionCurvesModel, panel: JobPanel, render_view: RenderView,
                 cache_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model, self.curves, self.panel, self.render_view = model, curves, panel, render_view
        self.cache_dir = Path(cache_dir)
        model.takeChanged.connect(self._show_previews)

    def preview_dir(self, size: int = PREVIEW_SIZE) -> Path | None:
        """The cache folder of the open Take's preview renders at ``size``."""
        if self.model.path is None:
            return None
        key = hashlib.sha256(str(self.model.path).encode()).hexdigest()[:16]
        return self.cache_dir / "renders" / f"{self.model.name}-{key}" / f"size-{size}"

    def _show_previews(self) -> None:
        folder = self.preview_dir()
        self.render_view.set_folder(folder / "frames" if folder is not None else None)

    def _run(self, job: CliJob, on_success) -> CliJob | None:
        if self.panel.busy:
            self.message.emit("another job is still running; wait for it or cancel it")
            return None
        job.succeeded.connect(on_success)
        self.panel.run(job)
        return job

    def generate(self, audio: Path) -> CliJob | None:
        """Audio -> a new Take beside it, then open it."""
        out = new_take_folder(Path(audio), self.cache_dir / "takes")
        return self._run(generate_job(audio, out, parent=self),
                         lambda outputs: self.takeReady.emit(outputs.get("take", str(out))))

    def apply_emotion(self) -> CliJob | None:
        """Re-bake the open Take's emotion from the edited curves, in place; the Take is then reloaded."""
        if self.model.path is None:
            return None
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        curves_file = self.curves.save(self.cache_dir / f"{self.model.name}-curves.json")
        take = self.model.path
        return self._run(rebake_job(take, take, curves_file, parent=self), lambda _outputs: self._reload(take))

    def _reload(self, take: Path) -> None:
        self.takeReady.emit(str(take))
        self.curves.mark_saved()

    def render_preview(self, first: int, last: int | None = None) -> CliJob | None:
        """Render frames ``first``..``last`` (default: just ``first``) and show them."""
        folder = self.preview_dir()
        if folder is None:
            return None
        # --force: an earlier preview of this Take before an Apply is another Take; its frames are replaced.
        job = render_preview_job(self.model.path, folder, (first, first if last is None else last),
                                 size=PREVIEW_SIZE, force=True, parent=self)
        return self._run(job, lambda _outputs: self.render_view.set_folder(folder / "frames"))

    def export_video(self, video: Path) -> CliJob | None:
        """Render every frame at the export size and encode ``video`` with the Take's audio."""
        folder = self.preview_dir(EXPORT_SIZE)
        if folder is None:
            return None
        job = export_video_job(self.model.path, folder, video, size=EXPORT_SIZE, force=True, parent=self)
        return self._run(job, lambda outputs: self.message.emit(f"exported {outputs.get('video', video)}"))


def copy_take(source: Path, target: Path) -> Path:
    """Copy a Take folder to a new folder (written beside it first, then renamed, so it is whole or absent)."""
    from realtalk_core.schema import load_take

    target = Path(target)
    if target.exists():
        raise FileExistsError(f"{target}: already exists; choose a new folder name")
    partial = target.with_name(f".{target.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(source, partial, symlinks=False)
    load_take(partial)                       # the copy reads back through the same validator
    partial.rename(target)
    return target
