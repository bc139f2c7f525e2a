"""The rig's channel table (docs/rig.md) and contact sheet (docs/rig_shapes.png), computed.

Run: ``.venv/bin/python -m realtalk_core.rig.report --docs docs`` rewrites the table between
the ``<!-- rig:channels -->`` markers of docs/rig.md and redraws docs/rig_shapes.png.
Without ``--docs`` it prints the table.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..assets.canonical_mesh import load_canonical_mesh
from ..assets.store import FACE_LANDMARKER, require
from .channel_notes import channel_note
from .face_rig import FaceRig
from .observability import NOISE_M, PROXY_CHANNELS, observability
from .solver import SolverConfig

TABLE_START, TABLE_END = "<!-- rig:channels -->", "<!-- /rig:channels -->"


def channel_table(rig: FaceRig, config: SolverConfig | None = None) -> str:
    """Markdown table, one row per channel in ARKit order, every number computed from ``rig``."""
    config = config or SolverConfig()
    items = observability(rig, config)
    lines = [f"| channel | what it does | region | peak (mm) | distinctness | weight std at "
             f"{NOISE_M * 1000:g} mm noise | observable from landmarks |", "|---|---|---|---|---|---|---|"]
    for name in rig.names:
        item = items[name]
        what, region = channel_note(name)
        if item.verdict == "proxy":
            seen = "no (proxy: no tongue landmarks)" if name == "tongueOut" else "no (proxy)"
        elif item.verdict == "confounded":
            seen = f"weakly: confounded with {item.similar} ({item.similar_cosine:+.2f})"
        else:
            seen = "yes"
        lines.append(f"| `{name}` | {what} | {region} | {item.peak_mm:.1f} | {item.distinctness:.2f} | "
                     f"{item.noise_std:.3f} | {seen} |")
    return "\n".join(lines)


def write_table(markdown: Path, table: str) -> None:
    """Replace the table between the markers of ``markdown`` (which must hold them)."""
    text = markdown.read_text()
    if TABLE_START not in text or TABLE_END not in text:
        raise ValueError(f"{markdown} has no {TABLE_START} ... {TABLE_END} markers")
    before, rest = text.split(TABLE_START, 1)
    after = rest.split(TABLE_END, 1)[1]
    markdown.write_text(f"{before}{TABLE_START}\n{table}\n{TABLE_END}{after}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, help="folder holding rig.md; also writes rig_shapes.png there")
    args = parser.parse_args(argv)
    rig = FaceRig.build(load_canonical_mesh(require(FACE_LANDMARKER)))
    table = channel_table(rig)
    if args.docs is None:
        print(table)
        return
    from .figure import draw_shapes
    write_table(args.docs / "rig.md", table)
    draw_shapes(rig, args.docs / "rig_shapes.png")
    print(f"wrote {args.docs / 'rig.md'} (table) and {args.docs / 'rig_shapes.png'}")
    proxies = ", ".join(PROXY_CHANNELS)
    print(f"proxy channels: {proxies}")


if __name__ == "__main__":
    main()
