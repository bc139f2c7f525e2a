import numpy as np
import pytest

from realtalk_core.process.gaps import describe, interpolate, runs, short_gaps


def test_runs_and_description():
    mask = np.array([0, 1, 1, 0, 0, 1, 0, 1, 1, 1], bool)
    assert runs(mask) == [(1, 2), (5, 5), (7, 9)]
    assert describe(runs(mask)) == "1-2, 5, 7-9"
    assert describe([(i, i) for i in range(12)], limit=3) == "0, 1, 2, ... and 9 more"
    assert runs(np.zeros(4, bool)) == []


def test_interpolate_fills_linearly_and_holds_edges():
    values = np.array([[0.0], [9.0], [9.0], [3.0], [9.0]])
    known = np.array([False, True, False, True, False])
    out = interpolate(values, known)
    assert out[:, 0].tolist() == [9.0, 9.0, 6.0, 3.0, 3.0]
    with pytest.raises(ValueError):
        interpolate(values, np.zeros(5, bool))


def test_short_gaps_only_marks_runs_up_to_the_limit():
    missing = np.array([0, 1, 1, 0, 1, 1, 1, 1, 0], bool)
    assert np.flatnonzero(short_gaps(missing, 2)).tolist() == [1, 2]
