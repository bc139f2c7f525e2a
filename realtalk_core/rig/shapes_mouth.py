"""Mouth shapes: the subject's LEFT-side ones (+x), the bilateral ones, and tongueOut.

Three kinds of field are used:
* soft lip masks (``regions.upper_lip``, ``lower_lip``, ``lips``) times a displacement,
  for moves of a lip as a body (mouthUpperUp, mouthShrug, mouthPucker, mouthLeft, ...);
* Gaussians around the left mouth corner, for the corner pulls (smile, frown, dimple,
  stretch);
* moves given on the lip contours and spread by harmonic extension (roll, press, close).

tongueOut: MediaPipe has no tongue landmarks, so this channel is a proxy: the tongue
pushing the middle of the lower lip down and forward. Landmarks cannot tell a tongue
from a lower-lip move; on real data it should come from audio or from the animator.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .contours import closing_deltas, interp_rows
from .mesh_fields import gaussian, muscle_falloff
from .regions import FaceRegions

MM = 1e-3
#: Where the corner-pulling muscles start, relative to the left mouth corner (cm: out, up, forward).
ZYGOMATICUS_CM = (3.5, 3.0, -1.5)     # zygomaticus major, on the cheekbone
DEPRESSOR_CM = (2.5, -3.0, -0.5)      # depressor anguli oris, on the jaw's outer face


@dataclass(frozen=True)
class MouthShapeConfig:
    """Magnitudes of the mouth shapes at weight 1 (each shape's direction is fixed)."""

    smile_m: float = 14 * MM
    """mouthSmile: pull of the corner towards the cheekbone (up, out and back)."""
    smile_sigma_m: float = 16 * MM
    """mouthSmile: width of the pull; broader than the other corner pulls, as zygomaticus major
    stretches the whole lip on its side and drags the middle of the mouth along a little."""
    frown_m: float = 14 * MM
    """mouthFrown: pull of the corner down and out, towards the jaw line."""
    corner_pull_m: float = 5 * MM
    """mouthDimple, mouthStretch: pull of the corner."""
    corner_sigma_m: float = 12 * MM
    """Width of the Gaussian around the mouth corner for the corner pulls."""
    close_upper_share: float = 0.4
    """mouthClose: share of the (jaw-opened) lip gap closed by the upper lip."""
    lip_shift_m: float = 7 * MM
    """mouthLeft / mouthRight: sideways shift of both lips."""
    pucker_narrow: float = 0.32
    """mouthPucker: the lips' width shrinks by this fraction."""
    pucker_forward_m: float = 7 * MM
    """mouthPucker: protrusion of the lips."""
    funnel_narrow: float = 0.35
    """mouthFunnel: the lips' width shrinks by this fraction (about as much as in a pucker)."""
    funnel_forward_m: float = 8 * MM
    """mouthFunnel: protrusion of the lips."""
    funnel_open_m: float = 3.5 * MM
    """mouthFunnel: each lip's inner contour moves this far away from the other at the middle."""
    funnel_flare: float = 3.0
    """mouthFunnel: the outer contours move this many times as far as the inner ones: the lips
    evert, so more of their red shows and the mouth reads as a trumpet, not as a gap."""
    lip_lift_m: float = 4.5 * MM
    """mouthUpperUp / mouthLowerDown: lift (or drop) of one side of a lip."""
    roll_m: float = 3 * MM
    """mouthRoll: the outer lip contour rolls in (towards the teeth) by this much."""
    press_m: float = 1.5 * MM
    """mouthPress: each lip presses towards the other by this much at the inner contour."""
    shrug_m: float = 3 * MM
    """mouthShrug: lift of a lip (the lower one with the chin)."""
    tongue_m: float = 3 * MM
    """tongueOut (proxy): push of the middle of the lower lip, down and forward."""
    contour_reach_m: float = 12 * MM
    """Contour moves fade to zero this far from the lip contours."""


def _unit(x: float, y: float, z: float) -> np.ndarray:
    vec = np.array([x, y, z], dtype=np.float64)
    return vec / np.linalg.norm(vec)


def _x_bump(regions: FaceRegions, centre_x: float, sigma: float) -> np.ndarray:
    """(478,) Gaussian of the x coordinate only: a profile along the mouth."""
    return np.exp(-0.5 * ((regions.points[:, 0] - centre_x) / sigma) ** 2)


def _arcs(regions: FaceRegions) -> dict[str, np.ndarray]:
    """The four lip arcs by name, each ordered by x, corners included."""
    return {"outer_upper": regions.lips_outer.upper, "outer_lower": regions.lips_outer.lower,
            "inner_upper": regions.lips_inner.upper, "inner_lower": regions.lips_inner.lower}


def _contour_field(regions: FaceRegions, moves: dict[str, np.ndarray], reach: float) -> np.ndarray:
    """Spread moves given per lip arc (arc name -> (K, 3) for that arc's ids) over the skin."""
    handles: dict[int, np.ndarray] = {}
    for name, ids in _arcs(regions).items():
        for landmark, move in zip(ids.tolist(), moves[name]):
            handles[landmark] = move           # corners are shared by two arcs; both agree
    ids = np.array(sorted(handles))
    return regions.extend(ids, np.array([handles[i] for i in ids]), reach)


def _arc_moves(regions: FaceRegions, move: dict[str, np.ndarray], side: np.ndarray | None = None,
               corner_move: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """One (3,) move per arc, scaled per landmark by ``side`` (478,); the corners get ``corner_move``."""
    corners = set(regions.lips_outer.corners.tolist() + regions.lips_inner.corners.tolist())
    out = {}
    for name, ids in _arcs(regions).items():
        scale = np.ones(len(ids)) if side is None else side[ids]
        rows = scale[:, None] * move[name][None, :]
        for k, landmark in enumerate(ids.tolist()):
            if landmark in corners:
                rows[k] = 0.0 if corner_move is None else scale[k] * corner_move
        out[name] = rows
    return out


def _mouth_close(regions: FaceRegions, config: MouthShapeConfig, jaw_open: np.ndarray) -> np.ndarray:
    """The lips meet on one curve when jawOpen = mouthClose = 1 (in the linear rig)."""
    opened = regions.points + jaw_open                                   # (478, 3)
    inner, outer = regions.lips_inner, regions.lips_outer
    upper_move, lower_move = closing_deltas(opened[inner.upper], opened[inner.lower], config.close_upper_share)
    # Each lip moves as a body: an outer-contour point copies the inner contour's move at the
    # same relative x (x over the corner's x, so outer and inner corners correspond).
    rel = regions.points[:, 0] / np.abs(regions.points[outer.corners, 0]).max()
    rel_inner = regions.points[:, 0] / np.abs(regions.points[inner.corners, 0]).max()
    moves = {"inner_upper": upper_move, "inner_lower": lower_move,
             "outer_upper": interp_rows(rel_inner[inner.upper], upper_move, rel[outer.upper]),
             "outer_lower": interp_rows(rel_inner[inner.lower], lower_move, rel[outer.lower])}
    return _contour_field(regions, moves, config.contour_reach_m)


def _lips_meet(regions: FaceRegions, config: MouthShapeConfig) -> np.ndarray:
    """The neutral lips close their opening (both lips move half way), as a lip body."""
    return _mouth_close(regions, replace(config, close_upper_share=0.5), np.zeros_like(regions.points))


def _narrow_and_protrude(regions: FaceRegions, narrow: float, forward: float) -> np.ndarray:
    """(478, 3) the lips drawn towards the midline by ``narrow`` of their x and pushed forward."""
    lips = regions.lips
    return regions.masked(lips, np.column_stack([-narrow * regions.points[:, 0],
                                                 np.zeros(len(lips)), np.full(len(lips), forward)]))


def build_mouth_shapes(regions: FaceRegions, config: MouthShapeConfig,
                       jaw_open: np.ndarray) -> dict[str, np.ndarray]:
    """Left-side and bilateral mouth shapes, (478, 3) each; ``jaw_open`` is the linear jawOpen delta."""
    m, points = config, regions.points
    corner = points[regions.mouth_corner_left]
    corner_x = corner[0]
    pull = lambda sigma: gaussian(points, corner, sigma)  # noqa: E731

    def muscle(origin_cm: tuple[float, float, float], sigma: float) -> np.ndarray:
        """Falloff along a muscle from the left corner to an origin given relative to it (cm)."""
        return muscle_falloff(points, corner, corner + 0.01 * np.array(origin_cm), sigma)

    cheek = gaussian(points, regions.surface_point(corner + np.array([0.014, 0.03, 0.0])), 0.015)
    left_half = np.clip(points[:, 0] / corner_x + 0.25, 0.0, 1.0)   # 0 right of the midline, 1 at the corner
    down, up = np.array([0.0, -1.0, 0.0]), np.array([0.0, 1.0, 0.0])
    back = np.array([0.0, 0.0, -1.0])
    shapes = {
        # The corner pulls follow their muscles: zygomaticus major up and out to the cheekbone
        # (the corner moves along the muscle, towards its origin), depressor anguli oris down
        # and out to the jaw line, risorius out towards the ear, buccinator back into the cheek.
        "mouthSmileLeft": regions.masked(muscle(ZYGOMATICUS_CM, m.smile_sigma_m),
                                         m.smile_m * _unit(*ZYGOMATICUS_CM))
        + regions.masked(cheek, 0.25 * m.smile_m * _unit(0, 2, 1)),
        "mouthFrownLeft": regions.masked(muscle(DEPRESSOR_CM, 0.7 * m.corner_sigma_m),
                                         m.frown_m * _unit(*DEPRESSOR_CM)),
        "mouthDimpleLeft": regions.masked(muscle((1.0, 0.0, -1.0), 0.6 * m.corner_sigma_m),
                                          m.corner_pull_m * _unit(2.5, 0.5, -4)),
        "mouthStretchLeft": regions.masked(muscle((3.5, -0.5, -2.5), 0.7 * m.corner_sigma_m),
                                           m.corner_pull_m * _unit(5, -2.5, -1)),
        "mouthPressLeft": _contour_field(regions, _arc_moves(regions, {
            "outer_upper": 2 * m.press_m * (down + 0.3 * back), "inner_upper": m.press_m * (down + 0.3 * back),
            "outer_lower": 2 * m.press_m * (up + 0.3 * back), "inner_lower": m.press_m * (up + 0.3 * back),
        }, side=left_half, corner_move=np.array([0.5 * m.press_m, 0.0, 0.0])), m.contour_reach_m),
        "mouthLowerDownLeft": regions.masked(regions.lower_lip * _x_bump(regions, 0.5 * corner_x, 0.4 * corner_x),
                                             m.lip_lift_m * _unit(0, -1, 0.1)),
        "mouthUpperUpLeft": regions.masked(regions.upper_lip * _x_bump(regions, 0.5 * corner_x, 0.4 * corner_x),
                                           m.lip_lift_m * _unit(0, 1, 0.1)),
        # The lips slide to the subject's left; the leading corner tucks back and up a little.
        "mouthLeft": regions.masked(regions.lips, np.array([m.lip_shift_m, 0.0, 0.0]))
        + regions.masked(pull(0.8 * m.corner_sigma_m), 0.3 * m.lip_shift_m * _unit(0, 1, -2)),
        # ---- bilateral
        "mouthClose": _mouth_close(regions, m, jaw_open),
        # A kiss: the lips gather to the middle, which pushes forward most, and close up.
        "mouthPucker": _narrow_and_protrude(regions, m.pucker_narrow, 0.0)
        + regions.masked(regions.lips * _x_bump(regions, 0.0, 0.6 * corner_x), m.pucker_forward_m * _unit(0, 0, 1))
        + 0.5 * _lips_meet(regions, m),
        # An "oo": the lips gather and push forward, open round in the middle and evert
        # (the outer contours open further than the inner ones).
        "mouthFunnel": _narrow_and_protrude(regions, m.funnel_narrow, m.funnel_forward_m)
        + _contour_field(regions, _arc_moves(regions, {
            "inner_upper": m.funnel_open_m * up, "outer_upper": m.funnel_flare * m.funnel_open_m * up,
            "inner_lower": m.funnel_open_m * down, "outer_lower": m.funnel_flare * m.funnel_open_m * down,
        }, side=_x_bump(regions, 0.0, 0.6 * corner_x)), m.contour_reach_m),
        "mouthRollLower": _contour_field(regions, _arc_moves(regions, {
            "outer_lower": m.roll_m * (up + back), "inner_lower": m.roll_m * (0.3 * up + back),
            "outer_upper": np.zeros(3), "inner_upper": np.zeros(3)}), m.contour_reach_m),
        "mouthRollUpper": _contour_field(regions, _arc_moves(regions, {
            "outer_upper": m.roll_m * (down + back), "inner_upper": m.roll_m * (0.3 * down + back),
            "outer_lower": np.zeros(3), "inner_lower": np.zeros(3)}), m.contour_reach_m),
        "mouthShrugLower": regions.masked(np.maximum(regions.lower_lip, 0.6 * regions.jaw * gaussian(
            points, regions.surface_point(np.array([0.0, corner[1] - 0.025, 0.0])), 0.015)),
            m.shrug_m * _unit(0, 1, 0.5)),
        # The upper lip's middle is pushed up and everts: its outer contour comes forward most.
        "mouthShrugUpper": _contour_field(regions, _arc_moves(regions, {
            "inner_upper": 0.8 * m.shrug_m * _unit(0, 1, 0.3), "outer_upper": 0.8 * m.shrug_m * _unit(0, 1, 1.2),
            "inner_lower": np.zeros(3), "outer_lower": np.zeros(3),
        }, side=_x_bump(regions, 0.0, 0.5 * corner_x)), 1.5 * m.contour_reach_m),
        "tongueOut": regions.masked(regions.lower_lip * _x_bump(regions, 0.0, 0.45 * corner_x),
                                    m.tongue_m * _unit(0, -0.7, 1)),
    }
    return shapes
