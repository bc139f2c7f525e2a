import numpy as np

from realtalk_core.process.crop import CropConfig, box_steadiness, crop_frame, gaussian_smooth, smooth_boxes


def _noisy_boxes(frames: int, rng) -> np.ndarray:
    t = np.arange(frames)
    cx = 320 + 40 * np.sin(t / 20) + rng.normal(0, 3, frames)
    cy = 200 + rng.normal(0, 3, frames)
    half = 50 + rng.normal(0, 2, frames)
    return np.stack([cx - half, cy - half, cx + half, cy + half], axis=1)


def test_smoothed_box_has_no_per_frame_jumps_and_stays_inside():
    rng = np.random.default_rng(0)
    faces = _noisy_boxes(200, rng)
    found = np.ones(200, bool)
    found[50:60] = False                                   # a gap: filled, not jumped over
    faces[50:60] = 0.0
    boxes = smooth_boxes(faces, found, 25.0, (640, 480), CropConfig())
    raw = np.stack([(faces[:, 0] + faces[:, 2]) / 2, faces[:, 2] - faces[:, 0]], axis=1)[found]
    raw_steps = np.abs(np.diff(raw[:, 0])) / (2 * raw[1:, 1])
    assert box_steadiness(boxes) < 0.01 < raw_steps.max()
    assert (boxes[:, 0] >= 0).all() and (boxes[:, 1] >= 0).all()
    assert (boxes[:, 0] + boxes[:, 2] <= 640 + 1e-9).all() and (boxes[:, 1] + boxes[:, 2] <= 480 + 1e-9).all()


def test_gaussian_smoothing_has_no_lag():
    ramp = np.arange(100, dtype=float)[:, None]
    smoothed = gaussian_smooth(ramp, 4.0)
    assert np.abs(smoothed[20:80] - ramp[20:80]).max() < 1e-9


def test_crop_frame_maps_box_to_output():
    image = np.zeros((100, 200, 3), np.uint8)
    image[40:60, 120:140] = 255                          # a white square
    crop = crop_frame(image, np.array([110.0, 30.0, 40.0]), 80)
    assert crop.shape == (80, 80, 3)
    assert crop[20:60, 20:60].mean() > 240 and crop[:10].mean() < 5
    big = crop_frame(np.full((400, 400, 3), 7, np.uint8), np.array([0.0, 0.0, 400.0]), 64)   # strong shrink
    assert big.shape == (64, 64, 3) and (big == 7).all()
