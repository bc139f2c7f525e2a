"""A one-screen, human-readable summary of a valid Take."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .channels import ARKIT_BLENDSHAPE_NAMES, EMOTION_NAMES, LANDMARK_GROUPS
from .take import Take


def summarize(take: Take, take_dir: str | Path) -> str:
    """Text of at most ~20 lines describing the Take, for ``realtalk validate``."""
    tracks = take.tracks
    last = take.frame_start + take.frame_count - 1
    lines = [
        f"take      {Path(take_dir)}  (valid)",
        f"frames    {take.frame_start}-{last}  ({take.frame_count} frames at {take.fps:g} fps, {take.duration:.2f} s)",
    ]
    if take.audio:
        lines.append(f"audio     {take.audio.path}  {take.audio.sample_rate} Hz, offset {take.audio.offset:g} s, "
                     f"sha256 {take.audio.sha256[:12]}")
    else:
        lines.append("audio     none")
    subject = take.subject
    lines.append(f"subject   {subject.name} ({subject.sha256[:12] if subject.sha256 else 'unbound'})"
                 if subject else "subject   none (the renderer uses its default)")

    lips = tracks.landmarks[:, list(LANDMARK_GROUPS["mouth"])]
    extent = np.ptp(tracks.landmarks.reshape(-1, 3), axis=0) * 100.0
    lines.append(f"landmarks 478 x 3, face extent {extent[0]:.1f} x {extent[1]:.1f} x {extent[2]:.1f} cm, "
                 f"lip motion std {lips.std(axis=0).mean() * 1000:.2f} mm")

    means = tracks.blendshapes.mean(axis=0)
    top = np.argsort(means)[::-1][:4]
    active = ", ".join(f"{ARKIT_BLENDSHAPE_NAMES[i]} {means[i]:.2f}" for i in top if means[i] > 0.005)
    lines.append(f"blendshapes 52, most active (mean): {active or 'none (all zero)'}")

    weights = tracks.emotion.mean(axis=0)
    order = np.argsort(weights)[::-1]
    mix = ", ".join(f"{EMOTION_NAMES[i]} {weights[i]:.2f}" for i in order if weights[i] > 0.005)
    lines.append(f"emotion   mean mix: {mix}")

    translation = tracks.head_pose[:, :3, 3]
    travel = np.ptp(translation, axis=0).max() * 100.0
    # Angle of each frame's rotation relative to the first frame.
    relative = np.einsum("tji,jk->tik", tracks.head_pose[:, :3, :3], tracks.head_pose[0, :3, :3])
    cos = np.clip((np.trace(relative, axis1=1, axis2=2) - 1.0) / 2.0, -1.0, 1.0)
    turn = float(np.degrees(np.arccos(cos)).max())
    lines.append(f"head pose rigid, translation range {travel:.1f} cm, rotation up to {turn:.1f} deg from frame 0")
    prov = take.provenance
    if prov:
        tool = prov.get("tool", "?")
        lines.append(f"made by   {tool} {prov.get('version', '')}".rstrip())
    return "\n".join(lines)
