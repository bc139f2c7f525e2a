"""Recently opened Takes, remembered in a QSettings the caller chooses.

The application passes ``QSettings("RealTalk Studio", "realtalk-preview")``; tests pass an
ini file in a temporary folder, so nothing here decides where settings live.
"""

from __future__ import annotations

import os
from pathlib import Path

from PyQt6.QtCore import QSettings

ORGANISATION = "RealTalk Studio"
APPLICATION = "realtalk-preview"
RECENT_KEY = "recentTakes"
RECENT_FIELD = "path"
#: How many recent Takes the File menu lists.
MAX_RECENT = 8


def default_settings() -> QSettings:
    """The user's settings for the previewer (per-user, per-platform location)."""
    return QSettings(ORGANISATION, APPLICATION)


def ini_settings(path: str | os.PathLike[str]) -> QSettings:
    """Settings kept in one ini file instead (tests, portable installs)."""
    return QSettings(str(path), QSettings.Format.IniFormat)


class RecentTakes:
    """An ordered list of Take folders, newest first, without duplicates."""

    def __init__(self, settings: QSettings, limit: int = MAX_RECENT) -> None:
        self._settings = settings
        self._limit = limit

    def paths(self) -> list[Path]:
        settings = self._settings
        count = settings.beginReadArray(RECENT_KEY)
        paths = []
        for i in range(count):
            settings.setArrayIndex(i)
            value = settings.value(RECENT_FIELD, "", type=str)
            if value:
                paths.append(Path(value))
        settings.endArray()
        return paths[: self._limit]

    def add(self, path: str | os.PathLike[str]) -> list[Path]:
        """Put ``path`` first (moving it if already listed); returns the new list."""
        path = Path(path)
        paths = [path] + [p for p in self.paths() if p != path]
        self._write(paths[: self._limit])
        return self.paths()

    def remove(self, path: str | os.PathLike[str]) -> list[Path]:
        self._write([p for p in self.paths() if p != Path(path)])
        return self.paths()

    def clear(self) -> None:
        self._write([])

    def _write(self, paths: list[Path]) -> None:
        settings = self._settings
        settings.remove(RECENT_KEY)
        settings.beginWriteArray(RECENT_KEY, len(paths))
        for i, path in enumerate(paths):
            settings.setArrayIndex(i)
            settings.setValue(RECENT_FIELD, str(path))
        settings.endArray()
        settings.sync()
