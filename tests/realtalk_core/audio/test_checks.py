"""Bad audio is refused with one line naming the file; DC is removed; clipping is flagged."""

from __future__ import annotations

import json

import numpy as np
import pytest

from realtalk_core.audio import AudioError, check_audio, load_audio
from realtalk_core.schema.errors import RealtalkError


def _refused(path) -> AudioError:
    with pytest.raises(AudioError) as caught:
        check_audio(load_audio(path))
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    assert isinstance(caught.value, RealtalkError) and caught.value.exit_code == 2
    return caught.value


def test_unreadable_files_are_refused(tmp_path):
    assert "no such audio file" in str(_refused(tmp_path / "missing.wav"))
    (tmp_path / "empty.wav").write_bytes(b"")
    assert "empty" in str(_refused(tmp_path / "empty.wav"))
    (tmp_path / "corrupt.wav").write_bytes(np.random.default_rng(0).bytes(4096))
    assert "could not be decoded" in str(_refused(tmp_path / "corrupt.wav"))
    (tmp_path / "folder.wav").mkdir()
    assert "directory" in str(_refused(tmp_path / "folder.wav"))


def test_bad_samples_are_refused(write_audio, speech_like):
    broken = speech_like(1.0, 16000)
    broken[5000] = np.nan
    assert "NaN" in str(_refused(write_audio("nan.wav", broken, 16000, "FLOAT")))
    short = _refused(write_audio("short.wav", speech_like(0.1, 16000), 16000))
    assert "too short (0.10 s); RealTalk needs at least 0.2 s of speech" in str(short)
    assert "silent" in str(_refused(write_audio("zeros.wav", np.zeros(16000, np.float32), 16000)))
    hiss = 1e-5 * np.random.default_rng(1).normal(size=16000)
    assert "silent" in str(_refused(write_audio("hiss.wav", hiss, 16000, "FLOAT")))
    assert "silent" in str(_refused(write_audio("dc_only.wav", np.full(16000, 0.3, np.float32), 16000)))


def test_dc_offset_is_removed(write_audio, speech_like):
    speech = speech_like(2.0, 16000)
    decoded = load_audio(write_audio("dc.wav", speech + 0.2, 16000, "FLOAT"))
    report = check_audio(decoded)
    assert report.dc_removed and report.dc_offset == pytest.approx(0.2 + speech.mean(), abs=1e-6)
    assert abs(report.audio.samples.mean()) < 1e-6
    assert np.allclose(report.audio.samples, speech - speech.mean(), atol=1e-6)
    assert decoded.samples.mean() == pytest.approx(0.2 + speech.mean(), abs=1e-6)     # the input is untouched
    assert any("DC offset" in line for line in report.warnings) and not report.clipping


def test_clean_audio_passes_untouched(write_audio, speech_like):
    decoded = load_audio(write_audio("clean.wav", speech_like(2.0, 16000), 16000))
    report = check_audio(decoded)
    assert report.audio is decoded and report.warnings == () and not report.dc_removed
    assert -40 < report.rms_dbfs < -6 and report.duration == pytest.approx(2.0)
    assert json.loads(json.dumps(report.to_json()))["path"] == str(decoded.path)


def test_clipping_is_flagged_but_usable(write_audio, tone):
    loud = np.clip(tone(2.0, 16000, 200.0, 3.0), -1.0, 1.0)
    report = check_audio(load_audio(write_audio("loud.wav", loud, 16000, "FLOAT")))
    assert report.clipping and report.clipped_fraction > 0.5
    assert any("clipped" in line for line in report.warnings)
    slight = tone(2.0, 16000, 200.0, 0.998)                   # loud, but never at 0.999
    assert not check_audio(load_audio(write_audio("slight.wav", slight, 16000, "FLOAT"))).clipping


def test_a_video_without_sound_is_refused(tmp_path):
    import subprocess

    import imageio_ffmpeg

    video = tmp_path / "silent film.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=d=1:s=64x64", "-c:v", "mpeg4", str(video)], check=True, capture_output=True, timeout=60)
    assert "no audio stream" in str(_refused(video))
