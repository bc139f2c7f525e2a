"""extract_features_long: chunked features equal the whole-utterance ones, in bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from realtalk_core.audio import (AudioFeatureConfig, extract_features, extract_features_long, raw_rows,
                                 row_count)


@pytest.fixture(scope="module")
def three_minutes(speech_like) -> np.ndarray:
    return speech_like(180.0, 16000, seed=4)


@pytest.mark.parametrize("fps, chunk_s", [(25.0, 60.0), (30.0, 7.3), (29.97, 1.3)])
def test_chunked_equals_whole(three_minutes, fps, chunk_s):
    whole = extract_features(three_minutes, 16000, fps)
    chunked = extract_features_long(three_minutes, 16000, fps, chunk_s=chunk_s)
    assert chunked.values.shape == whole.values.shape == (round(180.0 * fps), 82)
    assert chunked.names == whole.names and chunked.fps == fps
    assert abs(chunked.values - whole.values).max() < 1e-5
    assert np.array_equal(chunked.voiced, whole.voiced) and whole.voiced.mean() > 0.3


def test_frames_follow_the_duration_or_the_caller(speech_like):
    speech = speech_like(7.01, 16000)
    for fps in (25.0, 30.0):
        assert len(extract_features_long(speech, 16000, fps, chunk_s=2.0).values) == round(7.01 * fps)
    exact = extract_features_long(speech, 16000, 25.0, frames=200, chunk_s=2.0)      # past the end: zeros
    assert exact.values.shape == (200, 82) and not exact.voiced[180:].any()
    assert np.array_equal(exact.values, extract_features(speech, 16000, 25.0, frames=200).values)
    with pytest.raises(ValueError, match="16000 Hz"):
        extract_features_long(speech, 44100, 25.0)
    with pytest.raises(ValueError, match="chunk_s"):
        extract_features_long(speech, 16000, 25.0, chunk_s=0.0)


def test_raw_rows_of_a_chunk_are_rows_of_the_whole(speech_like):
    config = AudioFeatureConfig()
    speech = speech_like(3.0, 16000)
    whole = raw_rows(speech, config)
    assert len(whole.values) == row_count(len(speech), config) == 300
    part = raw_rows(speech, config, first=137, count=50)
    assert np.allclose(part.values, whole.values[137:187], atol=1e-9)
    assert np.allclose(part.strength, whole.strength[137:187], atol=1e-9)


_HOUR = textwrap.dedent("""
    import json, resource, sys, time
    import numpy as np, soundfile
    from realtalk_core.audio import check_audio, extract_features_long, load_audio
    path, rate = sys.argv[1], 16000

    def peak_mb():
        # VmHWM belongs to this program's own address space; ru_maxrss can carry over the RSS of the
        # (large) pytest process this child was forked from, before exec.
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rng = np.random.default_rng(0)
    with soundfile.SoundFile(path, "w", rate, 1, "PCM_16") as out:        # a chirp plus noise, a minute at a time
        for minute in range(60):
            t = minute * 60 + np.arange(60 * rate) / rate
            f0 = 140 + 40 * np.sin(2 * np.pi * 0.2 * t)
            phase = 2 * np.pi * (140 * t - 40 / (2 * np.pi * 0.2) * np.cos(2 * np.pi * 0.2 * t))
            out.write(0.3 * np.sin(phase) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t)) + 0.02 * rng.normal(size=t.size))
    start = time.perf_counter()
    report = check_audio(load_audio(path))
    features = extract_features_long(report.audio.samples, rate, 25.0)
    print(json.dumps({"seconds": time.perf_counter() - start, "frames": len(features.values),
                      "duration": report.duration, "voiced": float(features.voiced.mean()),
                      "max_rss_mb": peak_mb()}))
""")


@pytest.mark.slow
def test_an_hour_stays_far_below_2_gb(tmp_path: Path):
    """An hour at 16 kHz (a 115 MB WAV): decode, check and features in a fresh process (about 30 s on 2 cores)."""
    result = subprocess.run([sys.executable, "-c", _HOUR, str(tmp_path / "hour.wav")], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["duration"] == 3600.0 and figures["frames"] == 90000 and figures["voiced"] > 0.5
    assert figures["max_rss_mb"] < 2048, figures
