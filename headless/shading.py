"""Lighting for the proxy mesh: smooth vertex normals, a key and a fill light, ambient, a soft sheen.

Everything is in camera space and linear light. The renderer fills each triangle with
one colour, the mean of its three vertices' lit colours, so the face reads as smoothly
shaded rather than faceted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LightConfig:
    """Lights in camera space (+x image right, +y up, +z towards the viewer)."""

    #: direction towards the key light; the default comes from the upper left, in front
    key_direction: tuple[float, float, float] = (-0.6, 0.45, 0.65)
    #: key light intensity (linear)
    key: float = 1.0
    #: direction towards the fill light, opposite the key and low
    fill_direction: tuple[float, float, float] = (0.6, -0.15, 0.8)
    #: fill light intensity (linear)
    fill: float = 0.12
    #: light arriving from everywhere (linear); keeps shadowed sides readable
    ambient: float = 0.12
    #: strength of the Blinn-Phong highlight of the key light (linear, added to every colour)
    specular: float = 0.06
    #: Blinn-Phong exponent; higher gives a smaller, sharper highlight
    shininess: float = 24.0


def _unit(vectors: np.ndarray) -> np.ndarray:
    """Normalise along the last axis; zero vectors stay zero."""
    length = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(length, 1e-12)


def face_normals(corners: np.ndarray) -> np.ndarray:
    """(F, 3, 3) triangle corners -> (F, 3) area-weighted normals (length = 2 x area).

    Triangles are counter-clockwise seen from their front, so normals point out of the face.
    """
    return np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])


def vertex_normals(triangles: np.ndarray, normals: np.ndarray, vertex_count: int) -> np.ndarray:
    """(F, 3) indices and (F, 3) area-weighted face normals -> (V, 3) unit vertex normals."""
    flat_ids = triangles.reshape(-1)                                     # (3F,)
    repeated = np.repeat(normals, 3, axis=0)                             # (3F, 3)
    summed = np.stack([np.bincount(flat_ids, weights=repeated[:, axis], minlength=vertex_count)
                       for axis in range(3)], axis=1)                     # (V, 3)
    return _unit(summed)


def vertex_light(points: np.ndarray, normals: np.ndarray, light: LightConfig) -> tuple[np.ndarray, np.ndarray]:
    """Per-vertex (diffuse, specular) factors, each (V,), for (V, 3) camera-space points and unit normals."""
    key = _unit(np.asarray(light.key_direction, np.float64))
    fill = _unit(np.asarray(light.fill_direction, np.float64))
    diffuse = (light.ambient
               + light.key * np.clip(normals @ key, 0.0, None)
               + light.fill * np.clip(normals @ fill, 0.0, None))
    to_viewer = _unit(-points)                                           # (V, 3) camera at the origin
    halfway = _unit(to_viewer + key)
    specular = light.specular * np.clip(np.sum(normals * halfway, axis=1), 0.0, None) ** light.shininess
    return diffuse, specular


def triangle_colours(albedo: np.ndarray, triangles: np.ndarray, diffuse: np.ndarray,
                     specular: np.ndarray) -> np.ndarray:
    """(F, 3) linear albedo per triangle and (V,) vertex factors -> (F, 3) lit linear colour."""
    diffuse_f = diffuse[triangles].mean(axis=1)[:, None]                  # (F, 1)
    specular_f = specular[triangles].mean(axis=1)[:, None]                # (F, 1)
    return albedo * diffuse_f + specular_f
