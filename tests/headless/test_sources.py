"""Which subject renders a Take, refusals when it does not fit, backgrounds, and paste-back into the source frame."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from realtalk_core.render.framing import Framing, save_framing
from realtalk_core.render.subject import subject_dir
from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, SubjectRef, load_take, save_take
from realtalk_headless.backgrounds import Background, composite, cover
from realtalk_headless.errors import RenderError
from realtalk_headless.sources import check_fits


def name_subject(take: Path, name: str, sha: str | None = None) -> Path:
    loaded = load_take(take)
    save_take(dataclasses.replace(loaded, subject=SubjectRef(name, sha)), take)
    return take


def test_the_take_picks_its_subject_and_an_unknown_one_is_refused(make_take, rt, tmp_path):
    take = name_subject(make_take(frames=2), "canonical")
    out = tmp_path / "out"
    assert rt.render(str(take), "--out", str(out), "--size", "32", "--progress", "none").returncode == 0
    record = json.loads((out / "render.json").read_text())
    assert record["renderer"] == "subject" and Path(record["subject"]) == subject_dir("demo")
    name_subject(take, "alice")
    refused = rt.render(str(take), "--out", str(tmp_path / "o2"), "--size", "32")
    assert rt.one_line_error(refused, "made for subject 'alice'") and "--subject DIR" in refused.stderr
    assert rt.render(str(take), "--out", str(tmp_path / "o2"), "--size", "32", "--subject", "proxy",
                     "--progress", "none").returncode == 0


def test_a_take_bound_to_another_subject_checkpoint_needs_force(make_take, rt, tmp_path):
    take = name_subject(make_take(frames=2), "demo", "ab" * 32)
    refused = rt.render(str(take), "--out", str(tmp_path / "o"), "--size", "32")
    assert rt.one_line_error(refused, "bound to subject sha256 abababababab") and "--force" in refused.stderr
    assert not (tmp_path / "o").exists()
    forced = rt.render(str(take), "--out", str(tmp_path / "o"), "--size", "32", "--force", "--progress", "none")
    assert forced.returncode == 0, forced.stderr


@pytest.mark.parametrize("meta,needle", [({"landmark_topology": "dlib68"}, "landmark topology 'dlib68'"),
                                         ({"blendshape_names": list(ARKIT_BLENDSHAPE_NAMES[:51]) + ["tongueUp"]},
                                          "tongueOut, tongueUp")])
def test_a_subject_of_another_topology_or_blendshape_set_is_refused(make_take, meta, needle):
    take = make_take(frames=1)
    subject = SimpleNamespace(meta=meta, root=Path("/subjects/x"), sha256="0" * 64)
    with pytest.raises(RenderError, match=needle):
        check_fits(subject, load_take(take), take, force=True)


def test_background_kinds(tmp_path):
    assert Background.parse("plate").kind == "plate" and Background.parse("transparent").transparent
    assert Background.parse("color:#102030").color == (16, 32, 48)
    image = tmp_path / "sky.png"
    cv2.imwrite(str(image), np.full((50, 100, 3), (200, 100, 0), np.uint8))       # BGR: blue-ish sky
    assert Background.parse(str(image)).backdrop(32, 32, None)[0, 0].tolist() == [0, 100, 200]
    for text, needle in (("red", "expected plate"), ("color:#1234", "color:#RRGGBB"), ("x/none.jpg", "no such image")):
        with pytest.raises(RenderError, match=needle):
            Background.parse(text)
    wide = np.zeros((10, 40, 3), np.uint8)
    wide[:, 15:25] = 255                                       # a white stripe in the middle survives cover()
    assert cover(wide, 20, 20).shape == (20, 20, 3) and cover(wide, 20, 20)[:, 10].min() == 255
    rgba = np.zeros((2, 2, 4), np.uint8)
    rgba[0, 0] = (255, 0, 0, 255)
    mixed = composite(rgba, np.full((2, 2, 3), 100, np.uint8))
    assert mixed[0, 0].tolist() == [255, 0, 0] and mixed[1, 1].tolist() == [100, 100, 100]


def test_transparent_and_image_backgrounds_on_disk(make_take, rt, tmp_path):
    take = make_take(frames=1)
    out = tmp_path / "clear"
    assert rt.render(str(take), "--out", str(out), "--size", "64", "--background", "transparent",
                     "--progress", "none").returncode == 0
    frame = rt.read_image(out / "frames" / "000000.png")
    assert frame.shape == (64, 64, 4) and frame[0, 0, 3] == 0 and frame[32, 32, 3] > 200   # only the person is opaque
    image = tmp_path / "wall.jpg"
    cv2.imwrite(str(image), np.full((120, 90, 3), (0, 160, 0), np.uint8))
    out = tmp_path / "wall"
    assert rt.render(str(take), "--out", str(out), "--size", "64", "--background", str(image),
                     "--progress", "none").returncode == 0
    corner = rt.read_image(out / "frames" / "000000.png")[0, 0].astype(int)
    assert abs(corner - [0, 160, 0]).max() <= 3


def test_paste_back_puts_the_render_into_the_source_frame(make_take, rt, tmp_path):
    subject = tmp_path / "subject"
    shutil.copytree(subject_dir("demo"), subject)
    ramp = np.linspace(0, 255, 320, dtype=np.float32)
    plate = np.stack([np.tile(ramp, (200, 1)), np.full((200, 320), 90.0), np.tile(ramp[::-1], (200, 1))], -1)
    save_framing(subject, Framing(320, 200, (100.0, 20.0, 120.0)), plate.astype(np.uint8))
    take = make_take(frames=2)
    out = tmp_path / "out"
    result = rt.render(str(take), "--out", str(out), "--subject", str(subject), "--size", "64", "--paste-back",
                       "--video", str(tmp_path / "v.mp4"), "--progress", "none")
    assert result.returncode == 0, result.stderr
    frame = rt.read_image(out / "frames" / "000001.png").astype(int)
    assert frame.shape == (200, 320, 3)
    outside = np.ones((200, 320), bool)
    outside[18:142, 98:222] = False                                  # the box, with a pixel of margin
    assert np.abs(frame[outside] - plate.astype(int)[outside]).max() <= 1   # the source plate, untouched
    assert np.abs(frame[60:100, 140:180] - plate[60:100, 140:180]).mean() > 20   # the person, inside the box
    assert (tmp_path / "v.mp4").stat().st_size > 1000
    bare = tmp_path / "bare"
    shutil.copytree(subject_dir("demo"), bare, ignore=shutil.ignore_patterns("framing.json"))
    refused = rt.render(str(take), "--out", str(tmp_path / "o2"), "--subject", str(bare), "--size", "64", "--paste-back")
    assert rt.one_line_error(refused, "has no original framing")
    proxy = rt.render(str(take), "--out", str(tmp_path / "o3"), "--subject", "proxy", "--paste-back")
    assert rt.one_line_error(proxy, "the proxy renderer has no original framing")
