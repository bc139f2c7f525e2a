"""realtalk-render under trouble: Ctrl-C, a full disk, a broken subject. Clean stops, one line, nothing lost."""

from __future__ import annotations

import errno
import json
import shutil
import signal
import subprocess

import cv2

from realtalk_core.render.subject import subject_dir


def recorded(out) -> dict[int, dict]:
    return {int(n): e for n, e in json.loads((out / "render.json").read_text())["finished_frames"].items()}


def test_ctrl_c_stops_cleanly_with_the_manifest_flushed_and_resume_finishes(make_take, rt, tmp_path):
    take = make_take(frames=40)
    out = tmp_path / "out"
    command = [str(rt.bin / "realtalk-render"), str(take), "--out", str(out), "--size", "128", "--progress", "json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None and process.stderr is not None
        for line in process.stdout:                                   # wait for real progress, not for a clock
            event = json.loads(line)
            if event.get("stage") == "render" and event.get("done", 0) >= 2:
                break
        process.send_signal(signal.SIGINT)
        remaining_out, errors = process.communicate(timeout=120)
    assert process.returncode == 130
    assert errors.strip().count("\n") == 0 and "interrupted" in errors and "resume" in errors
    assert "Traceback" not in errors and json.loads(remaining_out.splitlines()[-1])["event"] == "error"
    done = recorded(out)
    on_disk = sorted(int(p.stem) for p in (out / "frames").glob("*.png"))
    assert 2 <= len(done) < 40 and sorted(done) == on_disk       # the manifest lists exactly the frames written
    for number in on_disk:
        assert cv2.imread(str(out / "frames" / f"{number:06d}.png")) is not None
    before = {n: (out / "frames" / f"{n:06d}.png").stat().st_ino for n in done}
    assert rt.render(str(take), "--out", str(out), "--size", "128", "--progress", "none").returncode == 0
    assert len(recorded(out)) == 40
    assert all((out / "frames" / f"{n:06d}.png").stat().st_ino == ino for n, ino in before.items())


def test_a_full_disk_is_one_line_and_keeps_the_finished_frames(make_take, tmp_path, monkeypatch, capsys):
    import realtalk_headless.frames as frames
    from realtalk_headless.cli import main

    real = frames.write_png

    def filling_up(path, image):
        if path.name >= "000002.png":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, image)

    monkeypatch.setattr(frames, "write_png", filling_up)
    take = make_take(frames=4)
    out = tmp_path / "out"
    code = main([str(take), "--out", str(out), "--size", "32", "--progress", "none"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write frame 2 (No space left on device)" in err and err.count("\n") == 1
    assert sorted(p.name for p in (out / "frames").iterdir()) == ["000000.png", "000001.png"]
    assert sorted(recorded(out)) == [0, 1]
    monkeypatch.setattr(frames, "write_png", real)
    assert main([str(take), "--out", str(out), "--size", "32", "--progress", "none"]) == 0
    assert sorted(recorded(out)) == [0, 1, 2, 3]


def test_a_missing_or_corrupt_subject_checkpoint_is_one_line(make_take, rt, tmp_path):
    take = make_take(frames=2)
    subject = tmp_path / "subject"
    shutil.copytree(subject_dir("demo"), subject)
    payload = (subject / "subject.pt").read_bytes()
    (subject / "subject.pt").write_bytes(payload[: len(payload) // 2])
    broken = rt.render(str(take), "--out", str(tmp_path / "o"), "--subject", str(subject), "--size", "32")
    assert rt.one_line_error(broken, "subject.pt")
    (subject / "subject.pt").unlink()
    missing = rt.render(str(take), "--out", str(tmp_path / "o"), "--subject", str(subject), "--size", "32")
    assert rt.one_line_error(missing, "not a subject folder")
    assert (subject / "background.png").is_file() and not (tmp_path / "o" / "frames").exists()
