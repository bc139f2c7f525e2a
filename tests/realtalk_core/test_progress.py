"""The progress protocol: what --progress json writes parses back, and bad lines are refused."""

from __future__ import annotations

import io

import pytest

from realtalk_core.progress import Progress, iter_events, parse_event


def test_json_mode_writes_parseable_lines():
    out, err = io.StringIO(), io.StringIO()
    progress = Progress("json", "unit", out=out, err=err)
    progress.start()
    with progress.stage("work", total=1000) as stage:
        for _ in range(1000):
            stage.advance()
    progress.warning("careful")
    progress.done({"take": "/x"})
    progress.error("boom")
    events = [parse_event(line) for line in out.getvalue().splitlines()]
    kinds = [e.event for e in events]
    assert kinds[0] == "start" and events[0].data["command"] == "unit"
    steps = [e for e in events if e.event == "progress"]
    assert 2 <= len(steps) <= 202  # throttled: at most ~200 per stage, plus the first
    assert steps[0].data["done"] == 0 and steps[-1].data["done"] == 1000 and steps[-1].fraction == 1.0
    assert [e.data["done"] for e in steps] == sorted(e.data["done"] for e in steps)
    assert kinds[-3:] == ["warning", "done", "error"] and events[-2].data["outputs"] == {"take": "/x"}
    assert err.getvalue() == ""


def test_bar_and_none_modes_keep_stdout_clean():
    for mode in ("bar", "none"):
        out, err = io.StringIO(), io.StringIO()
        progress = Progress(mode, "unit", out=out, err=err)
        progress.start()
        with progress.stage("work", total=3) as stage:
            stage.advance(3)
        progress.warning("careful")
        progress.done({})
        assert out.getvalue() == ""
        assert "warning: careful" in err.getvalue()


def test_unknown_total_is_allowed():
    out = io.StringIO()
    progress = Progress("json", "unit", out=out)
    with progress.stage("scan") as stage:
        stage.advance(5)
    last = parse_event(out.getvalue().splitlines()[-1])
    assert last.data == {"stage": "scan", "done": 5, "total": None} and last.fraction is None


@pytest.mark.parametrize("line", [
    "not json", "[]", '{"event": "explode"}', '{"event": "progress", "stage": "x", "done": "1", "total": 2}',
    '{"event": "progress", "stage": "x", "done": -1, "total": 2}', '{"event": "done"}',
    '{"event": "error", "message": 3}', '{"event": "progress", "stage": "x", "done": true, "total": 2}',
])
def test_bad_lines_are_refused(line):
    with pytest.raises(ValueError):
        parse_event(line)


def test_iter_events_skips_chatter():
    lines = ["libfoo: hello\n", '{"event":"start","command":"x"}\n', "\n", '{"event":"done","outputs":{}}\n']
    assert [e.event for e in iter_events(iter(lines))] == ["start", "done"]


def test_unknown_mode_is_an_error():
    with pytest.raises(ValueError, match="progress mode"):
        Progress("fancy")


def test_info_is_an_event_in_json_and_a_plain_line_otherwise():
    out, err = io.StringIO(), io.StringIO()
    Progress("json", "unit", out=out, err=err).info("device: CPU")
    assert parse_event(out.getvalue()).data == {"message": "device: CPU"} and err.getvalue() == ""
    out, err = io.StringIO(), io.StringIO()
    Progress("none", "unit", out=out, err=err).info("device: CPU")
    assert out.getvalue() == "" and err.getvalue() == "device: CPU\n"
