"""The proxy renderer itself: face regions, culling, expressions and gaze that read in the pixels."""

from __future__ import annotations

import math

import numpy as np
import pytest

from realtalk_core.assets.canonical_mesh import load_canonical_mesh
from realtalk_core.schema import LANDMARK_GROUPS
from realtalk_headless.camera import CameraConfig
from realtalk_headless.colors import parse_hex
from realtalk_headless.proxy import ProxyPalette, ProxyRenderConfig, ProxyRenderer
from realtalk_headless.regions import Region, triangle_regions

SIZE = 128
BACKGROUND = (235, 240, 250)  # far from every face colour


@pytest.fixture(scope="module")
def mesh(task_path):
    return load_canonical_mesh(task_path)


@pytest.fixture(scope="module")
def renderer(mesh):
    return ProxyRenderer(mesh, ProxyRenderConfig(size=SIZE, background=BACKGROUND))


def pose(x: float = 0.0, yaw_degrees: float = 0.0, distance: float = 0.6) -> np.ndarray:
    """(4, 4) head->camera: a yaw about +y, then the head moved to (x, 0, -distance)."""
    c, s = math.cos(math.radians(yaw_degrees)), math.sin(math.radians(yaw_degrees))
    matrix = np.eye(4, dtype=np.float32)
    matrix[:3, :3] = [[c, 0, s], [0, 1, 0], [-s, 0, c]]
    matrix[:3, 3] = (x, 0.0, -distance)
    return matrix


def face_mask(image: np.ndarray) -> np.ndarray:
    return np.abs(image.astype(int) - np.array(BACKGROUND)).sum(axis=2) > 12


def near_colour(image: np.ndarray, hex_colour: str, tolerance: int) -> np.ndarray:
    return np.abs(image.astype(int) - np.array(parse_hex(hex_colour))).max(axis=2) <= tolerance


def test_closed_contours_close_the_eyes_and_the_mouth(mesh):
    regions = triangle_regions(mesh)
    counts = {region: int((regions == region).sum()) for region in Region}
    # a closed contour of n landmarks is spanned by n - 2 triangles
    assert counts[Region.EYE_RIGHT] == len(LANDMARK_GROUPS["eye_right"]) - 2
    assert counts[Region.EYE_LEFT] == len(LANDMARK_GROUPS["eye_left"]) - 2
    assert counts[Region.MOUTH] == len(LANDMARK_GROUPS["lips_inner"]) - 2
    assert 60 < counts[Region.LIPS] < 200 and counts[Region.BROW] > 0
    assert counts[Region.SKIN] > len(regions) // 2


def test_camera_centre_and_field_of_view():
    camera = CameraConfig(fov_y_degrees=20.0).build(200, 100)
    top = math.tan(math.radians(10.0))
    pixels = camera.project(np.array([[0.0, 0.0, -1.0], [0.0, top, -1.0], [0.0, -2 * top, -2.0]]))
    np.testing.assert_allclose(pixels, [[100.0, 50.0], [100.0, 0.0], [100.0, 100.0]], atol=1e-9)


def test_a_neutral_face_is_shaded_centred_and_lit_from_the_upper_left(renderer, canonical_landmarks):
    image = renderer.render(canonical_landmarks, pose())
    assert image.shape == (SIZE, SIZE, 3) and image.dtype == np.uint8
    mask = face_mask(image)
    ys, xs = np.nonzero(mask)
    assert 0.3 < mask.mean() < 0.8
    assert abs(xs.mean() - SIZE / 2) < 3 and abs(ys.mean() - SIZE / 2) < 8
    brightness = image.astype(int).sum(axis=2)
    cheek_y = int(ys.mean())
    image_left, image_right = brightness[cheek_y, SIZE // 2 - 33], brightness[cheek_y, SIZE // 2 + 33]
    assert mask[cheek_y, SIZE // 2 - 33] and mask[cheek_y, SIZE // 2 + 33]
    assert image_left > image_right + 20                               # the key light is on the image left
    assert len(np.unique(image[mask].reshape(-1, 3), axis=0)) > 100   # shaded, not flat


def test_an_open_jaw_shows_the_mouth(mesh, canonical_landmarks):
    # a green mouth, so that shading cannot confuse it with the brows or the pupils
    marked = ProxyRenderer(mesh, ProxyRenderConfig(size=SIZE, background=BACKGROUND,
                                                   palette=ProxyPalette(mouth="#00c000")))
    mouth_y = canonical_landmarks[list(LANDMARK_GROUPS["lips_inner"]), 1].mean()
    open_jaw = canonical_landmarks.copy()
    open_jaw[open_jaw[:, 1] < mouth_y - 0.001, 1] -= 0.015              # lower lip, chin and jaw drop 15 mm

    def mouth_pixels(landmarks: np.ndarray) -> int:
        rgb = marked.render(landmarks, pose()).astype(int)
        return int(((rgb[..., 1] > rgb[..., 0] + 25) & (rgb[..., 1] > rgb[..., 2] + 25)).sum())

    closed, opened = mouth_pixels(canonical_landmarks), mouth_pixels(open_jaw)
    assert closed > 0 and opened > 4 * closed


def test_gaze_moves_the_pupils(mesh, canonical_landmarks):
    marked = ProxyRenderer(mesh, ProxyRenderConfig(size=SIZE, background=BACKGROUND,
                                                   palette=ProxyPalette(pupil="#0020ff")))
    irises = list(LANDMARK_GROUPS["irises"])
    looking_left = canonical_landmarks.copy()
    looking_left[irises, 0] += 0.004                                   # towards the subject's left: image right

    def pupils_x(landmarks: np.ndarray) -> np.ndarray:
        """Mean x of the pupil pixels in the image's left and right halves."""
        _, xs = np.nonzero(near_colour(marked.render(landmarks, pose()), "#0020ff", 10))
        halves = [xs[xs < SIZE // 2], xs[xs >= SIZE // 2]]
        assert all(len(half) > 3 for half in halves)                   # both pupils visible
        return np.array([half.mean() for half in halves])

    assert (pupils_x(looking_left) > pupils_x(canonical_landmarks) + 1.0).all()


def test_the_face_follows_the_head_and_its_back_is_culled(renderer, canonical_landmarks):
    centred = face_mask(renderer.render(canonical_landmarks, pose()))
    moved = face_mask(renderer.render(canonical_landmarks, pose(x=0.03)))
    assert np.nonzero(moved)[1].mean() > np.nonzero(centred)[1].mean() + 5
    turned_away = face_mask(renderer.render(canonical_landmarks, pose(yaw_degrees=180.0)))
    assert turned_away.sum() < 0.05 * centred.sum()                    # back faces culled: only a few folds show
    behind_camera = renderer.render(canonical_landmarks, pose(distance=-0.6))
    assert not face_mask(behind_camera).any()


def test_config_is_validated(mesh):
    with pytest.raises(ValueError, match="size"):
        ProxyRenderer(mesh, ProxyRenderConfig(size=8))
    with pytest.raises(ValueError, match="supersample"):
        ProxyRenderer(mesh, ProxyRenderConfig(supersample=0))
