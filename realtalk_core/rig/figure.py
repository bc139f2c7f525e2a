"""A contact sheet of the rig: every channel at weight 1, front view, displaced region coloured.

Needs matplotlib (the ``media`` extra, with its Pillow dependency); imported lazily so the rig itself does not.
Front view: the camera looks down -z, so +x (the subject's left) is on the image's right.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Sequence

import numpy as np

from ..schema.channels import LANDMARK_GROUPS, NUM_MESH_VERTICES
from .face_rig import FaceRig

#: Landmark contours drawn over the wireframe.
OUTLINES = ("face_oval", "lips_outer", "lips_inner", "eye_right", "eye_left", "brow_right", "brow_left")


def draw_shapes(rig: FaceRig, target: Path, names: Sequence[str] | None = None,
                columns: int = 9, dpi: int = 100) -> Path:
    """Write a PNG grid with one panel per channel (all 52 by default), titled with its name."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.tri import Triangulation
    from PIL import Image

    names = list(rig.names if names is None else names)
    columns = min(columns, len(names))
    rows = math.ceil(len(names) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.7, rows * 2.0), dpi=dpi, squeeze=False)
    for ax, name in zip(axes.flat, names):
        posed = rig.pose(rig.weights({name: 1.0}))                         # (478, 3)
        moved = np.linalg.norm(posed - rig.neutral, axis=1)                # (478,)
        mesh = posed[:NUM_MESH_VERTICES]
        tri = Triangulation(mesh[:, 0], mesh[:, 1], rig.triangles)
        per_face = moved[rig.triangles].mean(axis=1)                       # (898,)
        ax.tripcolor(tri, facecolors=per_face, cmap="Reds", vmin=0.0, vmax=moved.max(), edgecolors="none")
        ax.triplot(tri, color="0.45", lw=0.15)
        for group in OUTLINES:
            ids = list(LANDMARK_GROUPS[group]) + [LANDMARK_GROUPS[group][0]]
            ax.plot(posed[ids, 0], posed[ids, 1], color="k", lw=0.5)
        irises = list(LANDMARK_GROUPS["irises"])
        ax.scatter(posed[irises, 0], posed[irises, 1], s=3, c="tab:blue", lw=0)
        ax.set_title(f"{name} {1000 * moved.max():.1f} mm", fontsize=7, pad=2)
        ax.set_aspect("equal")
        ax.set_xlim(-0.08, 0.08)
        ax.set_ylim(-0.125, 0.09)
        ax.axis("off")
    for ax in axes.flat[len(names):]:
        ax.axis("off")
    fig.suptitle(f"RealTalk rig: {len(names)} ARKit channels at weight 1 (front view: subject's left = image right; "
                 "red = displacement, scaled per panel; jawOpen as the exact rotation)", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    buffer = io.BytesIO()
    fig.savefig(buffer, dpi=dpi, format="png")
    plt.close(fig)
    # A 256-colour palette keeps the sheet small enough to live in the repository.
    buffer.seek(0)
    target.parent.mkdir(parents=True, exist_ok=True)
    Image.open(buffer).convert("RGB").quantize(colors=256).save(target, optimize=True)
    return target
