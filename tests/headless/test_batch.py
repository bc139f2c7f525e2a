"""`realtalk-render batch JOBS.toml`: many Takes with per-job overrides, checked before anything renders."""

from __future__ import annotations

import json

import pytest

from realtalk_headless.batch import load_batch
from realtalk_headless.errors import RenderError


def write(path, text: str):
    path.write_text(text)
    return path


def test_a_batch_renders_each_job_with_its_overrides_and_shards(make_take, rt, tmp_path):
    make_take("a", frames=3)
    make_take("b", frames=4, frame_start=10)
    jobs = write(tmp_path / "jobs.toml", """
[defaults]
size = 32
background = "color:#102030"

[[job]]
take = "a"
out = "renders/a"
video = "renders/a.mp4"

[[job]]
take = "b"
out = "renders/b"
size = 48
frames = "11-13"
subject = "proxy"
""")
    for shard in ("0/2", "1/2"):
        result = rt.render("batch", str(jobs), "--shard", shard, "--progress", "none")
        assert result.returncode == 0, result.stderr
    a, b = tmp_path / "renders" / "a", tmp_path / "renders" / "b"
    assert sorted(p.name for p in (a / "frames").iterdir()) == ["000000.png", "000001.png", "000002.png"]
    assert sorted(p.name for p in (b / "frames").iterdir()) == ["000011.png", "000012.png", "000013.png"]
    assert rt.read_image(a / "frames" / "000000.png").shape == (32, 32, 3)
    assert rt.read_image(b / "frames" / "000011.png")[0, 0].tolist() == [16, 32, 48]
    assert json.loads((b / "render.json").read_text())["renderer"] == "proxy"
    assert not (tmp_path / "renders" / "a.mp4").exists()       # shards do not encode: encode joins them
    whole = rt.render("batch", str(jobs), "--progress", "none")  # unsharded: everything is done, only encodes
    assert whole.returncode == 0, whole.stderr
    assert (tmp_path / "renders" / "a.mp4").stat().st_size > 1000


def test_one_failing_job_does_not_stop_the_others(make_take, rt, tmp_path):
    make_take("good", frames=2)
    make_take("other", frames=2)
    jobs = write(tmp_path / "jobs.toml", '[[job]]\ntake = "other"\nout = "o/bad"\nsize = 32\nsubject = "nobody"\n\n'
                                         '[[job]]\ntake = "good"\nout = "o/good"\nsize = 32\n')
    result = rt.render("batch", str(jobs), "--progress", "none")
    assert result.returncode == 2 and "1 of 2 jobs failed" in result.stderr and "job 1" in result.stderr
    assert len(list((tmp_path / "o" / "good" / "frames").glob("*.png"))) == 2


def test_a_broken_take_stops_the_batch_before_anything_renders(make_take, rt, tmp_path):
    make_take("good", frames=2)
    make_take("bad", frames=2)
    (tmp_path / "bad" / "tracks.npz").write_bytes(b"damaged")
    jobs = write(tmp_path / "jobs.toml", '[[job]]\ntake = "good"\nout = "o/good"\nsize = 32\n\n'
                                         '[[job]]\ntake = "bad"\nout = "o/bad"\nsize = 32\n\n'
                                         '[[job]]\ntake = "good"\nout = "o/late"\nframes = "0-9"\n')
    result = rt.render("batch", str(jobs))
    assert rt.one_line_error(result, "job 2:") and "nothing was rendered" in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("text,needle", [
    ("[[job]]\ntake = 'a'\n", "job 1: missing out"),
    ("[[job]]\ntake = 'a'\nout = 'o'\nsizes = 3\n", "unknown key 'sizes'; known keys:"),
    ("[[job]]\ntake = 'a'\nout = 'o'\nshard = '0/2'\n", "give it on the command line"),
    ("[[job]]\ntake = 'a'\nout = 'o'\nsize = '64'\n", "size must be a int"),
    ("[[job]]\ntake = 'a'\nout = 'o'\nsize = 5\n", "job 1: --size 5"),
    ("[[job]]\ntake = 'a'\nout = 'o'\n[[job]]\ntake = 'b'\nout = 'o'\n", "job 2 renders into"),
    ("[defaults]\nsize = 32\n", "no jobs"),
    ("[[job]\n", "not valid TOML"),
    ("[render]\n", "unknown table 'render'"),
])
def test_bad_batch_files_are_one_line(tmp_path, text, needle):
    with pytest.raises(RenderError, match=needle) as caught:
        load_batch(write(tmp_path / "jobs.toml", text))
    assert "\n" not in str(caught.value) and "jobs.toml" in str(caught.value)


def test_batch_cli_refuses_before_rendering(rt, tmp_path):
    assert rt.one_line_error(rt.render("batch", str(tmp_path / "none.toml")), "no such batch file")
    jobs = write(tmp_path / "jobs.toml", "[[job]]\ntake = 'a'\nout = 'o'\nbogus = 1\n")
    assert rt.one_line_error(rt.render("batch", str(jobs)), "unknown key 'bogus'") and not (tmp_path / "o").exists()
