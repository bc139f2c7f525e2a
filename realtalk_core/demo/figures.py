"""The demo's pictures: a contact sheet of the emotion peaks, and the curves over time.

Drawn with matplotlib's object API (``Figure`` + the Agg canvas), so no global pyplot state is
touched and nothing needs a display. Both write their PNG atomically.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from ..generate.metrics import BILABIALS, mouth_opening
from ..phonetics.phones import PAUSE, Phone
from ..schema import Take
from ..schema.channels import EMOTION_NAMES, LANDMARK_GROUPS, blendshape_index, interocular
from ..schema.fileio import atomic_write

#: One colour per emotion, in EMOTION_NAMES order (also used by the curves figure's legend).
EMOTION_COLOURS = {
    "neutral": "#b8b8b8", "angry": "#d62728", "disgust": "#8c6d31", "contempt": "#9467bd",
    "fear": "#17becf", "happy": "#f2b701", "sad": "#1f77b4", "surprise": "#e377c2",
}
#: Landmark contours drawn on the contact sheet, with their colours.
CONTOURS = {"face_oval": "#999999", "brow_left": "#6b4f2a", "brow_right": "#6b4f2a", "eye_left": "#2b6cb0",
            "eye_right": "#2b6cb0", "lips_outer": "#c0392b", "lips_inner": "#c0392b", "nose": "#999999"}
#: Blendshapes plotted under the mouth opening: speech and each emotion of the arc show in one of them.
SHOWN_BLENDSHAPES = ("jawOpen", "mouthSmileLeft", "eyeWideLeft", "browInnerUp", "mouthFrownLeft")


def _save(figure, path: Path, dpi: int) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    with atomic_write(path) as handle:
        handle.write(buffer.getvalue())
    return path


def _contour(name: str) -> list[int]:
    """A landmark group's indices in drawing order, closed back to the start (the nose line stays open)."""
    indices = list(LANDMARK_GROUPS[name])
    return indices if name == "nose" else indices + indices[:1]


def _draw_landmarks(axes, points: np.ndarray, reference: np.ndarray | None) -> None:
    """Front view of head-space landmarks (x right on screen = the subject's right, y up)."""
    xy = points[:, :2] * np.array([-1.0, 1.0])
    if reference is not None:
        ref = reference[:, :2] * np.array([-1.0, 1.0])
        for name in CONTOURS:
            loop = _contour(name)
            axes.plot(ref[loop, 0], ref[loop, 1], color="#dddddd", lw=1.6, zorder=1)
    axes.scatter(xy[:, 0], xy[:, 1], s=0.6, color="#777777", zorder=2, linewidths=0)
    for name, colour in CONTOURS.items():
        loop = _contour(name)
        axes.plot(xy[loop, 0], xy[loop, 1], color=colour, lw=1.1, zorder=3)
    axes.set_aspect("equal")
    axes.set_axis_off()


def contact_sheet(path: Path, take: Take, frames: Mapping[str, int], images: Mapping[int, np.ndarray],
                  dpi: int = 110) -> Path:
    """One column per emotion peak: the rendered frame over its landmarks (the neutral peak's in grey behind).

    ``frames``: label -> Take frame index (0-based); ``images``: that index -> (H, W, 3) uint8."""
    from matplotlib.figure import Figure

    labels = list(frames)
    figure = Figure(figsize=(2.6 * len(labels), 5.6), layout="constrained")
    grid = figure.subplots(2, len(labels), squeeze=False)
    landmarks, emotion = take.tracks.landmarks, take.tracks.emotion
    reference = landmarks[frames[labels[0]]] if "neutral" in frames else None
    for column, label in enumerate(labels):
        index = frames[label]
        top, bottom = grid[0, column], grid[1, column]
        top.imshow(images[index])
        top.set_axis_off()
        mix = ", ".join(f"{name} {emotion[index, k]:.2f}" for k, name in enumerate(EMOTION_NAMES)
                        if emotion[index, k] >= 0.1)
        top.set_title(f"{label} · {index / take.fps:.1f} s (frame {take.frame_start + index})\n{mix}", fontsize=8,
                      color=EMOTION_COLOURS.get(label, "black") if label != "neutral" else "#555555")
        _draw_landmarks(bottom, landmarks[index], None if label == labels[0] else reference)
    figure.suptitle("RealTalk demo: frames at the emotion peaks, landmarks below (grey: the neutral frame)",
                    fontsize=10)
    return _save(figure, path, dpi)


def curves_figure(path: Path, take: Take, phones: Sequence[Phone], peaks: Mapping[str, float],
                  intensity: np.ndarray | None = None, dpi: int = 100) -> Path:
    """Emotion mix (stacked) and intensity, mouth opening with the phones, and key blendshapes, over time."""
    from matplotlib.figure import Figure

    tracks = take.tracks
    t = np.arange(take.frame_count) / take.fps
    figure = Figure(figsize=(14, 8.5), layout="constrained")
    mix_ax, mouth_ax, shapes_ax = figure.subplots(3, 1, sharex=True, height_ratios=(1.1, 1.2, 1.0))

    mix_ax.stackplot(t, tracks.emotion.T, colors=[EMOTION_COLOURS[n] for n in EMOTION_NAMES],
                     labels=EMOTION_NAMES, alpha=0.9)
    mix_ax.set_ylim(0, 1)
    mix_ax.set_ylabel("emotion mix")
    if intensity is not None:
        twin = mix_ax.twinx()
        twin.plot(t, intensity, color="black", lw=1.4, ls="--", label="intensity")
        twin.set_ylim(0, 2)
        twin.set_ylabel("intensity (dashed)")
    for label, seconds in peaks.items():
        for axes in (mix_ax, mouth_ax, shapes_ax):
            axes.axvline(seconds, color="#444444", lw=0.8, ls=":")
        mix_ax.text(seconds, 1.02, label, ha="center", va="bottom", fontsize=8, transform=mix_ax.get_xaxis_transform())
    mix_ax.legend(loc="upper left", fontsize=7, ncol=8, framealpha=0.8)

    iod = interocular(tracks.landmarks[0])
    opening = mouth_opening(tracks.landmarks, iod)
    top = max(float(opening.max()) * 1.35, 0.05)
    for phone in phones:
        if phone.symbol == PAUSE:
            mouth_ax.axvspan(phone.start, phone.end, color="#eeeeee", lw=0)
        elif phone.symbol in BILABIALS:
            mouth_ax.axvspan(phone.start, phone.end, color="#f5b7b1", lw=0)
    for k, phone in enumerate(p for p in phones if p.symbol != PAUSE):
        mouth_ax.text((phone.start + phone.end) / 2, top * (0.93 if k % 2 else 0.85), phone.symbol, ha="center",
                      fontsize=6.5, color="#c0392b" if phone.symbol in BILABIALS else "#333333")
    mouth_ax.plot(t, opening, color="black", lw=1.3)
    mouth_ax.set_ylim(0, top)
    mouth_ax.set_ylabel("inner-lip gap (IOD)")
    mouth_ax.set_title("mouth opening, with espeak-ng's phones (red: /p b m/, grey: pauses)", fontsize=9, loc="left")

    for name in SHOWN_BLENDSHAPES:
        shapes_ax.plot(t, tracks.blendshapes[:, blendshape_index(name)[0]], lw=1.2, label=name)
    shapes_ax.set_ylim(0, 1)
    shapes_ax.set_ylabel("blendshape weight")
    shapes_ax.set_xlabel("seconds")
    shapes_ax.legend(loc="upper left", fontsize=7, ncol=len(SHOWN_BLENDSHAPES), framealpha=0.8)
    shapes_ax.set_xlim(0, t[-1] if len(t) > 1 else 1)
    return _save(figure, path, dpi)
