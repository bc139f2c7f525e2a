"""Write a benchmark's figures into its own section of docs/RESULTS.md (other sections are kept)."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "RESULTS.md"
HEADER = "# RealTalk Studio: measured results\n\nEvery figure here is written by a script in `benchmarks/`; rerun it to refresh its section.\n"


def machine() -> str:
    """Cores, CPU model, GPU (if torch sees one) and git revision, in one line."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             cwd=RESULTS.parent, timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.TimeoutExpired):
        rev = "unknown"
    return f"{os.cpu_count()} cores, {cpu}, {gpu()}, Python {platform.python_version()}, git {rev}, {date.today()}"


def gpu() -> str:
    """The CUDA GPU torch sees, or "no GPU"."""
    try:
        import torch
    except ImportError:
        return "no GPU (torch not installed)"
    if not torch.cuda.is_available():
        return "no GPU"
    return f"GPU {torch.cuda.get_device_name(0)}"


def write_section(name: str, body: str, first: bool = False) -> None:
    """Replace the section between ``<!-- bench:name -->`` markers, or add it (at the end, or right under the
    title with ``first``)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    elif first:
        head, rest = (text.split("\n\n<!-- bench:", 1) + [""])[:2]
        text = head.rstrip() + "\n\n" + block + "\n" + ("\n<!-- bench:" + rest if rest else "")
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    tmp = RESULTS.with_suffix(".md.tmp")
    tmp.write_text(text)
    tmp.replace(RESULTS)
