"""Qt runs offscreen in tests; settings go to a throwaway ini file, never the user's configuration."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture
def settings(tmp_path):
    from realtalk_ui.recent import ini_settings
    return ini_settings(tmp_path / "preview.ini")


@pytest.fixture
def moving_take(make_take):
    """A Take whose lower lip drops over its frames, so frames look different."""
    from realtalk_core.schema import LANDMARK_GROUPS, load_take, save_take
    folder = make_take(frames=10, frame_start=20)
    take = load_take(folder)
    lower = [i for i in LANDMARK_GROUPS["mouth"] if take.tracks.landmarks[0, i, 1] < -0.043]
    for t in range(10):
        take.tracks.landmarks[t, lower, 1] -= 0.002 * t
    take.tracks.blendshapes[:, 17] = [t / 9 for t in range(10)]  # jawOpen ramps up
    save_take(take, folder)
    return folder
