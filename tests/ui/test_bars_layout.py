"""The bar panels' column flow and the channel sections they show."""

from __future__ import annotations

import pytest
from PyQt6.QtGui import QColor

from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, BLENDSHAPE_GROUPS, EMOTION_NAMES
from realtalk_ui import theme
from realtalk_ui.bars_view import BarSection, flow_columns
from realtalk_ui.channel_views import blendshape_sections, emotion_sections


def test_blendshape_sections_cover_every_channel_once_at_its_column():
    sections = blendshape_sections()
    assert [s.title for s in sections] == list(BLENDSHAPE_GROUPS)
    pairs = [(label, column) for s in sections for label, column in zip(s.labels, s.columns, strict=True)]
    assert sorted(column for _, column in pairs) == list(range(52))
    assert all(ARKIT_BLENDSHAPE_NAMES[column] == label for label, column in pairs)


def test_emotion_section_is_in_schema_order_with_one_colour_each():
    (section,) = emotion_sections()
    assert section.title is None and section.labels == EMOTION_NAMES and section.columns == tuple(range(8))
    assert len({c.name() for c in section.colours}) == 8


def test_every_group_and_emotion_has_a_colour():
    assert set(theme.BLENDSHAPE_COLOURS) == set(BLENDSHAPE_GROUPS)
    assert set(theme.EMOTION_COLOURS) == set(EMOTION_NAMES)


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_flow_keeps_every_row_and_never_orphans_a_header(count):
    sections = blendshape_sections()
    columns = flow_columns(sections, count)
    assert 1 <= len(columns) <= count
    items = [(row.section.title, row.item) for column in columns for row in column if row.item >= 0]
    assert items == [(s.title, i) for s in sections for i in range(len(s.labels))]       # all, in order, once
    for column in columns:
        assert column[-1].item >= 0                                                    # no header at the bottom
        assert column[0].item < 0                                                      # a header names each column
    heights = [len(column) for column in columns]
    assert max(heights) - min(heights) <= 16                                           # roughly balanced


def test_flow_of_two_columns_continues_the_mouth_group():
    columns = flow_columns(blendshape_sections(), 2)
    top = columns[1][0]
    assert top.section.title == "mouth" and top.continued and len(columns[0]) == len(columns[1]) == 30


def test_flow_without_titles_splits_evenly():
    section = BarSection(None, tuple("abcdefgh"), tuple(range(8)), (QColor("red"),) * 8)
    assert [len(c) for c in flow_columns([section], 2)] == [4, 4]
