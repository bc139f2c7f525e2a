"""`make bench`: run every script in benchmarks/ and rewrite docs/RESULTS.md.

Each script refreshes its own section of docs/RESULTS.md; this runner then writes the "run" section at
the top: the date, the machine (cores, CPU model, GPU if any), the git revision, and each script's wall
time and status. A script that fails does not stop the others; the runner exits non-zero at the end.

Scripts that score the demo subject need the dataset it was trained on. It is made once with
`realtalk synth subject` (about 20 minutes of Blender on 2 cores) into DATA/demo30s, and reused after;
`--data` points at a folder that already holds one.

    python benchmarks/run_all.py [--data .bench] [--only NAME ...] [--skip NAME ...] [--dry-run]
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import machine, write_section  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
DEMO_SUBJECT = ROOT / "realtalk_core" / "weights" / "demo_subject"
#: Arguments of the scripts that take some; `{data}` is the --data folder. Every other script runs bare.
ARGUMENTS: dict[str, list[str]] = {
    "eval_render": ["--subject", str(DEMO_SUBJECT), "--dataset", "{data}/demo30s"],
    "bench_render": ["--subject", str(DEMO_SUBJECT), "--dataset", "{data}/demo30s"],
    "eval_motion": ["--work", "{data}/eval_motion"],
    "bench_synth": ["--subject", "{data}/synth_subject"],
}
#: Scripts that need DATA/demo30s.
NEEDS_DATASET = ("eval_render", "bench_render")
#: The command that makes it (the one in docs/render.md that the demo subject was trained on).
DATASET_COMMAND = ["synth", "subject", "--minutes", "0.5", "--size", "256", "--seed", "0", "--workers", "2",
                   "--progress", "none", "--out"]


@dataclass
class Outcome:
    name: str
    seconds: float
    ok: bool
    note: str


def scripts() -> list[str]:
    """Every benchmarks/*.py that runs as a program (has a ``__main__`` guard), except this runner."""
    names = []
    for path in sorted(HERE.glob("*.py")):
        if path.name == Path(__file__).name:
            continue
        tree = ast.parse(path.read_text())
        if any(isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) for node in tree.body):
            names.append(path.stem)
    return names


def ensure_dataset(data: Path) -> Path:
    dataset = data / "demo30s"
    if not (dataset / "dataset.json").is_file():
        print(f"== making the demo subject's dataset in {dataset} (about 20 minutes on 2 cores)", flush=True)
        subprocess.run([str(BIN / "realtalk"), *DATASET_COMMAND, str(dataset)], check=True)
    return dataset


def run_one(name: str, data: Path) -> Outcome:
    args = [a.replace("{data}", str(data)) for a in ARGUMENTS.get(name, [])]
    print(f"== {name} {' '.join(args)}", flush=True)
    began = time.perf_counter()
    result = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *args], cwd=ROOT, check=False,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.perf_counter() - began
    print(result.stdout[-4000:], flush=True)
    last = next((line for line in reversed(result.stdout.splitlines()) if line.strip()), "")
    return Outcome(name, seconds, result.returncode == 0, "" if result.returncode == 0 else last[:160])


def summary(outcomes: list[Outcome], total: float) -> str:
    rows = "\n".join(f"| `{o.name}.py` | {o.seconds:.0f} s | {'ok' if o.ok else 'FAILED: ' + o.note.replace('|', '/')} |"
                     for o in outcomes)
    return "\n".join([
        "## Last `make bench` (`benchmarks/run_all.py`)", "",
        f"Machine: {machine()}.", "",
        f"Every script below ran in this order and rewrote its own section(s); total {total / 60:.1f} min. "
        "Sections from scripts not in this list keep their earlier figures and say their own machine and date.", "",
        "| script | wall time | status |", "|---|---|---|", rows,
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / ".bench", help="where benchmark datasets live (.bench)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these scripts (names without .py)")
    parser.add_argument("--skip", nargs="+", metavar="NAME", default=[], help="scripts to leave out")
    parser.add_argument("--dry-run", action="store_true", help="list what would run, and how")
    args = parser.parse_args()
    names = scripts()
    unknown = sorted((set(args.only or []) | set(args.skip)) - set(names))
    if unknown:
        print(f"run_all.py: no such benchmark {', '.join(unknown)}; known: {', '.join(names)}", file=sys.stderr)
        return 2
    chosen = [n for n in names if (args.only is None or n in args.only) and n not in args.skip]
    if args.dry_run:
        for name in chosen:
            print(name, " ".join(a.replace("{data}", str(args.data)) for a in ARGUMENTS.get(name, [])))
        return 0
    args.data.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    if any(n in NEEDS_DATASET for n in chosen):
        ensure_dataset(args.data)
    outcomes = [run_one(name, args.data) for name in chosen]
    write_section("run", summary(outcomes, time.perf_counter() - began), first=True)
    failed = [o.name for o in outcomes if not o.ok]
    print(f"== {len(outcomes) - len(failed)} of {len(outcomes)} benchmarks ok" + (f"; failed: {', '.join(failed)}"
                                                                                  if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
