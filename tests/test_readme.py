"""The README's commands keep working: make targets exist, CLI lines parse, documented commands exist."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from realtalk_core.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
CODE = "\n".join(re.findall(r"```(?:sh|python)?\n(.*?)```", README, flags=re.S))


def test_quick_start_make_targets_exist():
    assert "make demo" in README and "make test" in README
    for target in re.findall(r"^make (\w+)", CODE, flags=re.M):
        result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (target, result.stderr)


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def _readme_realtalk_lines() -> list[str]:
    table = re.findall(r"^\| `(realtalk [^`]*)`", README, flags=re.M)
    return table + re.findall(r"^\.venv/bin/(realtalk .*)$", CODE, flags=re.M)


def test_documented_realtalk_commands_parse():
    parser = build_parser()
    lines = _readme_realtalk_lines()
    assert len(lines) >= 4
    for line in lines:
        words = [w for w in shlex.split(line.replace("[", "").replace("]", ""), comments=True)[1:] if w not in ("|",)]
        words = [w.replace("TAKE", "t").replace("DIR", "d").replace("FILE", "f") for w in words]
        args = parser.parse_args(words)
        assert hasattr(args, "func"), line


def test_every_subcommand_is_documented():
    for name in ("validate", "assets fetch", "assets status", "demo"):
        assert f"`realtalk {name}" in README, name


@pytest.mark.parametrize("script", ["realtalk-render", "realtalk-preview"])
def test_documented_scripts_are_declared(script):
    assert f"`{script}" in README
    assert f'{script} = ' in (ROOT / "pyproject.toml").read_text()


def test_documented_render_command_parses():
    from realtalk_headless.cli import build_batch_parser, build_encode_parser
    from realtalk_headless.cli import build_parser as render_parser
    lines = re.findall(r"^\| `(realtalk-render [^`]*)`", README, flags=re.M)
    assert len(lines) == 3
    for line in lines:
        words = shlex.split(line.replace("[", "").replace("]", ""))[1:]
        words = [{"TAKE": "t", "DIR": "d", "A-B": "1-2", "OUT.mp4": "o.mp4", "color:#RRGGBB": "color:#000000"}
                 .get(w, w) for w in words]
        if words[0] == "batch":
            assert build_batch_parser().parse_args(words[1:]).jobs.name == "JOBS.toml"
        elif words[0] == "encode":
            assert build_encode_parser().parse_args(words[1:]).video.name == "o.mp4"
        else:
            args = render_parser().parse_args(words)
            assert args.take.name == "t" and args.video.name == "o.mp4" and args.paste_back


def test_readme_batch_example_is_a_valid_batch_file(tmp_path):
    from realtalk_headless.batch import load_batch
    from realtalk_headless.errors import RenderError
    example = re.search(r"```toml\n(.*?)```", README, flags=re.S).group(1)
    (tmp_path / "jobs.toml").write_text(example)
    jobs = load_batch(tmp_path / "jobs.toml")
    assert [job.out.name for job in jobs] == ["hello", "angry"] and jobs[1].paste_back and jobs[0].size == 512
    with pytest.raises(RenderError):
        load_batch(tmp_path / "missing.toml")


def test_workflow_render_and_torchrun_lines_parse():
    from realtalk_headless.cli import build_parser as render_parser
    renders = re.findall(r"^\.venv/bin/realtalk-render (.*)$", CODE, flags=re.M)
    assert renders
    for line in renders:
        args = render_parser().parse_args(shlex.split(line, comments=True))
        assert args.out is not None, line
    torchrun = re.findall(r"^torchrun .* -m realtalk_core\.cli\.main (.*)$", CODE, flags=re.M)
    assert torchrun
    for line in torchrun:
        assert build_parser().parse_args(shlex.split(line, comments=True)).what == "subject"


def test_every_picture_in_the_readme_exists():
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert {"docs/demo_strip.png", "docs/preview.png", "docs/blender_vse.png"} <= set(pictures)
    for picture in pictures:
        assert (ROOT / picture).is_file(), picture


def test_every_linked_doc_exists():
    for link in re.findall(r"\]\((docs/[^)#]+)\)", README):
        assert (ROOT / link).is_file(), link


def test_take_snippet_runs_on_a_demo_take(tmp_path, monkeypatch):
    from realtalk_core.demo import build_demo_take
    snippet = re.search(r"```python\n(from realtalk_core.schema import load_take.*?)```", README, flags=re.S).group(1)
    build_demo_take(tmp_path / "out" / "demo")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(snippet, "README.md", "exec"), scope)
    assert scope["jaw"].shape == (scope["take"].frame_count, 1) and scope["jaw"].max() > 0.1


def test_results_table_quotes_docs_results():
    results = (ROOT / "docs" / "RESULTS.md").read_text()
    psnr = float(re.search(r"\| PSNR \| ([\d.]+) \(min", results).group(1))
    assert f"**{psnr:.1f}**" in README
    closure = re.search(r"\| (\d+/\d+ = [\d.]+%) \| >= 80%", results).group(1)
    closed, total = closure.split(" = ")[0].split("/")
    assert f"{closed} of {total}" in README and closure.split(" = ")[1] in README
    fps = re.findall(r"^\| (256|512) \| ([\d.]+) \| >= ", results, flags=re.M)
    for size, value in fps:
        assert f"{float(value):.1f} at {size}²" in README, (size, value)
