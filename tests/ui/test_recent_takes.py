"""Recent Takes in QSettings: order, limit, persistence in the given ini file only."""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import QSettings

from realtalk_ui.recent import APPLICATION, ORGANISATION, RecentTakes, default_settings, ini_settings


def test_newest_first_without_duplicates_and_limited(tmp_path):
    recent = RecentTakes(ini_settings(tmp_path / "a.ini"), limit=3)
    assert recent.paths() == []
    for name in ("one", "two", "three", "two", "four"):
        recent.add(tmp_path / name)
    assert recent.paths() == [tmp_path / "four", tmp_path / "two", tmp_path / "three"]
    assert recent.remove(tmp_path / "two") == [tmp_path / "four", tmp_path / "three"]
    recent.clear()
    assert recent.paths() == []


def test_persists_in_the_ini_file_it_was_given(tmp_path):
    ini = tmp_path / "prefs.ini"
    RecentTakes(ini_settings(ini)).add(tmp_path / "only take")     # a single entry survives the round trip
    assert RecentTakes(ini_settings(ini)).paths() == [tmp_path / "only take"]
    assert "only take" in ini.read_text()


def test_default_settings_are_per_user_and_named(no_user_settings):
    settings = default_settings()
    assert (settings.organizationName(), settings.applicationName()) == (ORGANISATION, APPLICATION)
    assert settings.scope() == QSettings.Scope.UserScope
    # conftest points the user scope at a temporary folder, so tests never touch real configuration
    assert Path(settings.fileName()).is_relative_to(no_user_settings)
