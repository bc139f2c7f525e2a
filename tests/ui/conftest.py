"""Qt runs offscreen in tests; settings go to throwaway ini files, never the user's configuration."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PyQt6.QtCore import QSettings  # noqa: E402

from realtalk_core.schema import EMOTION_NAMES, LANDMARK_GROUPS, blendshape_index, load_take, save_take  # noqa: E402
from realtalk_ui.recent import ini_settings  # noqa: E402

#: Frames and first frame number of ``moving_take``.
MOVING_FRAMES = 10
MOVING_START = 20


@pytest.fixture(scope="session", autouse=True)
def no_user_settings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Even code that asks for the default QSettings writes under this temporary folder."""
    folder = tmp_path_factory.mktemp("qsettings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(folder))
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return ini_settings(tmp_path / "preview.ini")


@pytest.fixture
def moving_take(make_take) -> Path:
    """10 frames from frame 20: the lower lip drops, jawOpen ramps up, neutral turns happy."""
    folder = make_take(name="moving", frames=MOVING_FRAMES, frame_start=MOVING_START)
    take = load_take(folder)
    tracks = take.tracks
    outer = np.array(LANDMARK_GROUPS["lips_outer"])
    lower = outer[tracks.landmarks[0, outer, 1] < np.median(tracks.landmarks[0, outer, 1])]
    ramp = np.linspace(0.0, 1.0, MOVING_FRAMES, dtype=np.float32)
    tracks.landmarks[:, lower, 1] -= 0.012 * ramp[:, None]
    tracks.blendshapes[:, blendshape_index("jawOpen")[0]] = ramp
    tracks.emotion[:] = 0.0
    tracks.emotion[:, EMOTION_NAMES.index("neutral")] = 1.0 - 0.8 * ramp
    tracks.emotion[:, EMOTION_NAMES.index("happy")] = 0.8 * ramp
    save_take(take, folder)
    return folder


@pytest.fixture
def bad_takes(moving_take: Path, tmp_path: Path) -> dict[str, Path]:
    """Invalid Take folders by name: one without take.json, one with a corrupt tracks.npz."""
    empty = tmp_path / "no_header"
    empty.mkdir()
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    for item in moving_take.iterdir():
        (corrupt / item.name).write_bytes(item.read_bytes())
    (corrupt / "tracks.npz").write_bytes(b"PK\x03\x04 this is not a zip any more")
    return {"no_header": empty, "corrupt": corrupt}
