"""`make bench` runs every benchmark script and writes a summary at the top of docs/RESULTS.md."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"


def _load(name: str):
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module                     # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_runner_finds_every_script_and_only_scripts():
    run_all = _load("run_all")
    names = run_all.scripts()
    programs = {p.stem for p in BENCH.glob("*.py") if 'if __name__ == "__main__"' in p.read_text()} - {"run_all"}
    assert set(names) == programs and {"figure_demo", "eval_motion", "bench_generate"} <= set(names)
    assert "results" not in names and "render_common" not in names          # helpers, not programs
    assert set(run_all.ARGUMENTS) <= set(names) and set(run_all.NEEDS_DATASET) <= set(names)


def test_make_bench_calls_the_runner():
    dry = subprocess.run(["make", "-n", "bench"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0 and "benchmarks/run_all.py" in dry.stdout


def test_dry_run_lists_scripts_with_their_arguments(tmp_path):
    result = subprocess.run([sys.executable, str(BENCH / "run_all.py"), "--dry-run", "--data", str(tmp_path),
                             "--skip", "figure_blender"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert "figure_blender" not in lines and "figure_demo" in lines
    assert lines["eval_render"].endswith(f"--dataset {tmp_path}/demo30s")
    bad = subprocess.run([sys.executable, str(BENCH / "run_all.py"), "--only", "no_such"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "no such benchmark no_such" in bad.stderr


def test_summary_goes_first_and_names_the_machine(tmp_path, monkeypatch):
    run_all = _load("run_all")
    results = sys.modules["results"]
    target = tmp_path / "RESULTS.md"
    target.write_text(results.HEADER + "\n<!-- bench:a -->\nA\n<!-- /bench:a -->\n")
    monkeypatch.setattr(results, "RESULTS", target)
    outcomes = [run_all.Outcome("bench_x", 12.0, True, ""), run_all.Outcome("eval_y", 3.0, False, "boom | bad")]
    results.write_section("run", run_all.summary(outcomes, 15.0), first=True)
    text = target.read_text()
    assert text.index("<!-- bench:run -->") < text.index("<!-- bench:a -->") and text.startswith("# RealTalk")
    assert "| `bench_x.py` | 12 s | ok |" in text and "FAILED: boom / bad" in text
    assert " cores, " in text and "git " in text and ("GPU" in text)
    results.write_section("run", run_all.summary(outcomes[:1], 12.0), first=True)       # replaced, not added
    assert target.read_text().count("<!-- bench:run -->") == 1 and "eval_y" not in target.read_text()
