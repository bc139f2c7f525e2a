"""Small numpy mesh primitives: spheres and lofts of closed cross-sections (metres)."""

from __future__ import annotations

import numpy as np

Mesh = tuple[np.ndarray, np.ndarray]   # (V, 3) vertices, (F, 3) triangles


def loft(sections: np.ndarray, cap_start: bool = True, cap_end: bool = True) -> Mesh:
    """Stitch closed cross-sections (S, N, 3) into a tube, closing the ends with centre vertices.

    Triangles face outwards when each section runs counter-clockwise seen from the end
    that the sections advance towards.
    """
    count, ring = sections.shape[:2]
    vertices = [sections.reshape(-1, 3)]
    tris = []
    for s in range(count - 1):
        for i in range(ring):
            j = (i + 1) % ring
            a, b, c, d = s * ring + i, s * ring + j, (s + 1) * ring + j, (s + 1) * ring + i
            tris += [(a, b, c), (a, c, d)]
    nxt = count * ring
    if cap_start:
        vertices.append(sections[0].mean(axis=0)[None])
        tris += [(nxt, (i + 1) % ring, i) for i in range(ring)]
        nxt += 1
    if cap_end:
        vertices.append(sections[-1].mean(axis=0)[None])
        last = (count - 1) * ring
        tris += [(nxt, last + i, last + (i + 1) % ring) for i in range(ring)]
    return np.concatenate(vertices), np.asarray(tris, np.int64)


def ellipsoid(radii: tuple[float, float, float], segments: int = 32, rings: int = 16,
              centre: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> Mesh:
    """A UV ellipsoid with its poles on the z axis (so +z can be an eye's gaze)."""
    theta = np.linspace(0.0, np.pi, rings + 1)[1:-1]                 # polar angle from +z... exclusive
    phi = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    # Sections from the -z pole to the +z pole, each counter-clockwise seen from +z.
    sections = np.stack([np.stack([np.sin(t) * np.cos(phi), np.sin(t) * np.sin(phi),
                                   np.full_like(phi, np.cos(t))], axis=1) for t in theta[::-1]])
    vertices, tris = loft(sections)
    # Replace the cap centres (the mean of a ring) by the true poles.
    vertices[-2] = (0.0, 0.0, -1.0)
    vertices[-1] = (0.0, 0.0, 1.0)
    return vertices * np.asarray(radii) + np.asarray(centre), tris


def superellipse(half_x: float, half_z: float, count: int, power: float = 2.5) -> np.ndarray:
    """(count, 2) points (x, z) of a super-ellipse, counter-clockwise seen from +y."""
    t = np.linspace(0.0, 2 * np.pi, count, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    x = half_x * np.sign(c) * np.abs(c) ** (2 / power)
    z = half_z * np.sign(s) * np.abs(s) ** (2 / power)
    return np.stack([x, -z], axis=1)   # seen from +y (looking down), x right and z towards the viewer's down
