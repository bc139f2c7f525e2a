"""`realtalk-render encode OUT_DIR --video`: joins sharded renders into one mp4, every frame exactly once."""

from __future__ import annotations

import json
import re
import subprocess

import numpy as np

from realtalk_headless.video import ffmpeg_exe

SIZE = 64


def decode(video, size: int) -> tuple[np.ndarray, str]:
    """All video frames as (T, size, size, 3) uint8, and ffmpeg's description of the streams."""
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(video), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, timeout=120, check=True).stdout
    info = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(video)], capture_output=True, text=True,
                          timeout=60).stderr
    return np.frombuffer(raw, np.uint8).reshape(-1, size, size, 3), info


def test_two_shards_then_encode_give_every_frame_once_with_audio(make_take, rt, tmp_path):
    take = rt.sway(make_take(frames=10, frame_start=4))
    out = tmp_path / "out"
    for shard in ("1/2", "0/2"):
        result = rt.render(str(take), "--out", str(out), "--size", str(SIZE), "--shard", shard, "--progress", "none")
        assert result.returncode == 0, result.stderr
    record = json.loads((out / "render.json").read_text())
    owners = {int(n): e["shard"] for n, e in record["finished_frames"].items()}
    assert sorted(owners) == list(range(4, 14)) and set(owners.values()) == {"0/2", "1/2"}
    video = tmp_path / "joined.mp4"
    result = rt.render("encode", str(out), "--video", str(video), "--progress", "none")
    assert result.returncode == 0, result.stderr
    frames, info = decode(video, SIZE)
    assert re.search(r"Video: h264", info) and re.search(r"Audio: aac", info)
    hours, minutes, seconds = re.search(r"Duration: (\d+):(\d+):([\d.]+)", info).groups()
    assert abs(float(seconds) + 60 * int(minutes) - 10 / 25) <= 1 / 25           # the Take's length, within a frame
    pngs = np.stack([rt.read_image(out / "frames" / f"{n:06d}.png") for n in range(4, 14)]).astype(np.float32)
    assert len(frames) == len(pngs)
    error = ((frames[:, None].astype(np.float32) - pngs[None]) ** 2).mean(axis=(2, 3, 4))   # video x png
    assert error.argmin(axis=1).tolist() == list(range(10))        # each video frame is its own PNG, in order
    assert json.loads((out / "render.json").read_text())["video"] == str(video.resolve())


def test_encode_refuses_missing_damaged_or_changed_inputs(make_take, rt, tmp_path):
    take = make_take(frames=6)
    out = tmp_path / "out"
    assert rt.render(str(take), "--out", str(out), "--size", "48", "--shard", "0/2", "--progress", "none").returncode == 0
    video = tmp_path / "v.mp4"
    assert rt.one_line_error(rt.render("encode", str(out), "--video", str(video)), "3 of 6 frames are not rendered yet (1, 3, 5)")
    assert rt.render(str(take), "--out", str(out), "--size", "48", "--shard", "1/2", "--progress", "none").returncode == 0
    frame = out / "frames" / "000002.png"
    kept = frame.read_bytes()
    frame.write_bytes(kept[:100])
    assert rt.one_line_error(rt.render("encode", str(out), "--video", str(video)), "changed or damaged")
    frame.write_bytes(kept)
    (take / "take.json").write_text((take / "take.json").read_text().replace('"fps": 25.0', '"fps": 30.0'))
    assert rt.one_line_error(rt.render("encode", str(out), "--video", str(video)), "the Take changed after")
    assert rt.one_line_error(rt.render("encode", str(tmp_path / "nothing"), "--video", str(video)), "no render.json")
    assert not video.exists() and frame.read_bytes() == kept                    # nothing written, nothing deleted
