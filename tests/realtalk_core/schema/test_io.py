"""Take reading and writing: round trips, atomicity, hashes, audio and path safety."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from realtalk_core.schema import (TAKE_JSON, TRACKS_NPZ, Take, TakeError, Tracks, attach_audio, load_take,
                                  read_header, save_take)
from realtalk_core.schema.fileio import atomic_write, resolve_inside


def test_round_trip_preserves_everything(make_take):
    folder = make_take(frames=7, frame_start=12)
    take = load_take(folder)
    assert take.frame_count == 7 and take.frame_start == 12 and take.fps == 25.0
    assert take.tracks.landmarks.dtype == np.float32 and take.tracks.landmarks.shape == (7, 478, 3)
    assert take.tracks.landmarks.flags.writeable
    take.tracks.blendshapes[3, 17] = 0.75  # jawOpen
    save_take(take, folder)
    again = load_take(folder)
    assert again.tracks.blendshapes[3, 17] == pytest.approx(0.75)
    assert again.audio == take.audio and again.provenance == {"tool": "tests"}


def test_save_leaves_no_temporary_files(make_take):
    folder = make_take()
    assert sorted(p.name for p in folder.iterdir()) == ["audio.wav", TAKE_JSON, TRACKS_NPZ]


def test_save_refuses_invalid_tracks_and_writes_nothing(tmp_path, canonical_landmarks):
    tracks = Tracks.neutral(4, canonical_landmarks)
    tracks.blendshapes[2, 0] = 1.5
    with pytest.raises(TakeError, match=r"eyeBlinkLeft = 1.5 at frame 2 is outside \[0, 1\]"):
        save_take(Take(fps=25.0, tracks=tracks), tmp_path / "bad")
    assert not (tmp_path / "bad" / TAKE_JSON).exists()


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(target, "w") as handle:
            handle.write("half")
            raise RuntimeError("crash mid-write")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_atomic_write_gives_normal_permissions(tmp_path):
    new = tmp_path / "new.txt"
    with atomic_write(new, "w") as handle:
        handle.write("x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o640)
    with atomic_write(kept, "w") as handle:
        handle.write("new")
    assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text() == "new"


def test_tracks_changed_behind_takes_back_is_refused(make_take, canonical_landmarks):
    folder = make_take()
    np.savez(folder / TRACKS_NPZ, **Tracks.neutral(6, canonical_landmarks).as_dict())
    with pytest.raises(TakeError, match="tracks.npz: does not match the sha256 recorded in take.json"):
        load_take(folder)


def test_audio_changed_or_missing_is_refused(make_take):
    folder = make_take()
    (folder / "audio.wav").write_bytes(b"RIFF changed")
    with pytest.raises(TakeError, match="audio file changed since the take was made"):
        load_take(folder)
    assert load_take(folder, verify_audio=False).frame_count == 6
    (folder / "audio.wav").unlink()
    with pytest.raises(TakeError, match="audio.wav: audio file named in take.json is missing"):
        load_take(folder)


@pytest.mark.parametrize("bad_path", ["../outside.wav", "/etc/passwd", "sub/../../x.wav"])
def test_audio_path_must_stay_inside_the_take(make_take, bad_path):
    folder = make_take()
    header = json.loads((folder / TAKE_JSON).read_text())
    header["audio"]["path"] = bad_path
    (folder / TAKE_JSON).write_text(json.dumps(header))
    with pytest.raises(TakeError, match="audio.path"):
        read_header(folder)


def test_symlink_escaping_the_take_is_refused(tmp_path):
    (tmp_path / "take").mkdir()
    (tmp_path / "secret.wav").write_bytes(b"x")
    (tmp_path / "take" / "link.wav").symlink_to(tmp_path / "secret.wav")
    with pytest.raises(ValueError, match="outside the take folder"):
        resolve_inside(tmp_path / "take", "link.wav")
    assert resolve_inside(tmp_path / "take", "a/b.wav") == (tmp_path / "take" / "a" / "b.wav").resolve()


def test_attach_audio_copies_into_the_take(tmp_path, make_take, make_wav):
    folder = make_take(audio=False)
    src = make_wav(tmp_path / "voice.WAV", rate=48000)
    with pytest.raises(TakeError, match="voice.WAV: is 48000 Hz, but the take was to record 16000 Hz"):
        attach_audio(folder, src, 16000)
    assert not (folder / "audio.wav").exists()
    ref = attach_audio(folder, src, 48000, offset=0.5)
    assert ref.path == "audio.wav" and (folder / "audio.wav").read_bytes() == src.read_bytes()
    assert ref.offset == 0.5 and len(ref.sha256) == 64


def test_not_a_take_folder(tmp_path):
    with pytest.raises(TakeError, match="take.json: missing; is this a take folder"):
        load_take(tmp_path)
    with pytest.raises(TakeError, match="is not a take folder"):
        load_take(tmp_path / "nope")
