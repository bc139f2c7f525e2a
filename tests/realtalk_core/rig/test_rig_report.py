"""The computed channel table and the contact sheet."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.rig.channel_notes import channel_note
from realtalk_core.rig.figure import draw_shapes
from realtalk_core.rig.report import TABLE_END, TABLE_START, channel_table, write_table
from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES


def test_every_channel_has_a_note_with_its_side():
    for name in ARKIT_BLENDSHAPE_NAMES:
        what, region = channel_note(name)
        assert what and region
        if name.endswith("Right"):
            assert "left" not in region and "Left" not in what
    assert channel_note("eyeBlinkRight")[1] == "right lids"
    with pytest.raises(KeyError):
        channel_note("eyeBlinkMiddle")


def test_channel_table_rows_are_computed_from_the_rig(face_rig, tmp_path):
    table = channel_table(face_rig)
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == list(ARKIT_BLENDSHAPE_NAMES)
    peaks = face_rig.peak_displacement()
    jaw_row = next(row for row in rows if row.startswith("| `jawOpen`"))
    assert f"| {1000 * peaks['jawOpen']:.1f} |" in jaw_row
    assert "no (proxy" in next(row for row in rows if row.startswith("| `tongueOut`"))
    doc = tmp_path / "rig.md"
    doc.write_text(f"# Rig\n\n{TABLE_START}\nold\n{TABLE_END}\n\nmore text\n")
    write_table(doc, table)
    text = doc.read_text()
    assert "\nold\n" not in text and text.endswith("more text\n") and text.count("\n| `") == 52
    plain = tmp_path / "plain.md"
    plain.write_text("no markers\n")
    with pytest.raises(ValueError, match="markers"):
        write_table(plain, table)


def test_contact_sheet_is_a_small_png(face_rig, tmp_path):
    from PIL import Image

    target = draw_shapes(face_rig, tmp_path / "sheet.png", names=("eyeBlinkLeft", "jawOpen", "mouthSmileRight"))
    with Image.open(target) as image:
        width, height = image.size
        pixels = np.asarray(image.convert("RGB"))
    assert 300 < width <= 1600 and height <= 1200
    assert target.stat().st_size < 500_000
    assert (pixels[..., 0] > pixels[..., 2] + 60).any()        # red displacement colouring is drawn
