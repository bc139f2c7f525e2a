"""HTK/HTS label files -> IPA phones."""

from __future__ import annotations

import pytest

from realtalk_core.phonetics.labels import LabelError, centre_phone, parse_labels, read_labels
from realtalk_core.phonetics.phones import PAUSE, Phone

HTS = """0 1300000 x^x-sil+hh=iy@x_x/A:0_0_0
1300000 2050000 x^sil-hh+iy=t@1_2/A:0_0_0
2050000 2700000 sil^hh-iy+t=er@2_1/A:0_0_0
2700000 3000000 hh^iy-pau+t=er@2_1/A:0_0_0
3000000 3200000 iy^pau-sil+t=er@2_1/A:0_0_0
"""


def test_full_context_labels_give_centre_phones_in_seconds():
    phones = parse_labels(HTS)
    assert phones == [Phone(PAUSE, 0.0, 0.13), Phone("h", 0.13, 0.205), Phone("iː", 0.205, 0.27),
                      Phone(PAUSE, 0.27, 0.32)]
    assert centre_phone("ae") == "ae"
    assert [p.symbol for p in parse_labels(HTS, ipa=False)] == ["sil", "hh", "iy", "pau", "sil"]


def test_monophone_labels_in_seconds():
    assert parse_labels("0.0 0.25 b\n0.25 0.5 ao\n") == [Phone("b", 0.0, 0.25), Phone("ɔː", 0.25, 0.5)]


@pytest.mark.parametrize("text, message", [
    ("0 100 \n", "line 1 needs 'start end label'"),
    ("a b hh\n", "non-numeric times"),
    ("0 100 hh\n100 50 iy\n", "line 2 goes back in time"),
    ("0 100 qq\n", "unknown phone 'qq'"),
    ("\n\n", "no labels found"),
])
def test_malformed_labels(text, message):
    with pytest.raises(LabelError, match=message):
        parse_labels(text, "x.lab")


def test_missing_label_file(tmp_path):
    with pytest.raises(LabelError, match="no such label file; run `realtalk assets fetch`"):
        read_labels(tmp_path / "absent.lab")
