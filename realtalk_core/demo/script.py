"""What the demo performs: its text, and the emotion curve that runs beside it.

The curve is laid out in fractions of the clip's length, so ``--text`` of any length keeps the
same arc: neutral, then happy, then surprise, then sad, each at its own weight and intensity.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema.emotion_curves import EmotionCurves

#: Our own text; about 11.5 s at 160 words a minute. Its words follow the emotion arc.
DEMO_TEXT = ("Hello, and welcome to RealTalk Studio. I start out calm, then something makes me smile. "
             "Oh! What was that? Now I feel a little sad: the demo is over.")


@dataclass(frozen=True)
class Beat:
    """One emotion of the arc: it rises from 0 at ``rise``, peaks at ``peak`` and falls back to 0 at ``fall``
    (fractions of the clip); ``weight`` is the mix weight and ``intensity`` the expression strength at the peak."""

    emotion: str
    rise: float
    peak: float
    fall: float
    weight: float
    intensity: float


#: neutral -> happy -> surprise -> sad, at varying weight and intensity. Sad holds to the end (fall > 1).
#: The intensities stay where the demo subject renders cleanly: it never saw surprise or sad, and a smile
#: stronger than ~0.8 takes its cheeks beyond anything it trained on (docs/render.md, "The demo subject").
ARC: tuple[Beat, ...] = (
    Beat("happy", 0.34, 0.50, 0.63, 0.90, 0.80),
    Beat("surprise", 0.55, 0.66, 0.77, 1.00, 1.00),
    Beat("sad", 0.71, 0.88, 2.00, 0.85, 1.20),
)
#: Where the neutral opening is shown (fraction of the clip).
NEUTRAL_AT = 0.15
#: Intensity where no emotion is shown.
REST_INTENSITY = 0.7


def demo_curves(duration: float) -> EmotionCurves:
    """The arc laid over a clip of ``duration`` seconds (smooth keys; each peak is a key, so it is exact)."""
    if duration <= 0:
        raise ValueError(f"duration must be positive, got {duration}")
    curves: dict[str, list[tuple[float, float]]] = {}
    intensity: list[tuple[float, float]] = [(0.0, REST_INTENSITY)]
    for beat in ARC:
        keys = [(beat.rise, 0.0), (beat.peak, beat.weight)] + ([(beat.fall, 0.0)] if beat.fall <= 1 else [])
        curves[beat.emotion] = [(round(f * duration, 4), w) for f, w in keys]
        intensity.append((round(beat.peak * duration, 4), beat.intensity))
    return EmotionCurves.from_json({"format": "realtalk-emotion-curves", "version": 1, "units": "seconds",
                                    "interpolation": "smooth", "curves": curves, "intensity": intensity},
                                   source="the demo's emotion arc")


def peak_times(duration: float) -> dict[str, float]:
    """Seconds at which each emotion of the arc (and the neutral opening) is strongest."""
    return {"neutral": NEUTRAL_AT * duration, **{beat.emotion: beat.peak * duration for beat in ARC}}
