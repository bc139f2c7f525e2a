"""Paste-back: a rendered square crop composited into the subject's full source frame."""

from __future__ import annotations

import numpy as np
import pytest

from realtalk_core.process.crop import crop_frame
from realtalk_core.render.framing import Framing
from realtalk_headless.errors import RenderError
from realtalk_headless.paste_back import paste_back, paste_back_size

#: A 320 x 200 source; the box's top 20 rows lie above the frame.
FRAMING = Framing(320, 200, (60.0, -20.0, 160.0))
SIZE = 128                                                  # crop pixels: 160 source pixels -> 128


def _gradient(height: int = 200, width: int = 320) -> np.ndarray:
    yy, xx = np.mgrid[0:height, 0:width]
    return np.stack([xx * 0.75, yy * 1.2, 40 + (xx + yy) * 0.3], axis=-1).astype(np.uint8)


def _outside_box(height: int, width: int, framing: Framing, scale: float, margin: float = 1.5) -> np.ndarray:
    """(H, W) bool: output pixels at least ``margin`` pixels clear of the box."""
    x0, y0, side = framing.box
    sx, sy = width / framing.source_width, height / framing.source_height
    u = (np.arange(width) + 0.5) / sx - 0.5
    v = (np.arange(height) + 0.5) / sy - 0.5
    out_u = (u < x0 - margin / sx) | (u > x0 + side + margin / sx)
    out_v = (v < y0 - margin / sy) | (v > y0 + side + margin / sy)
    return out_u[None, :] | out_v[:, None]


def _uniform_crop(colour=(200, 30, 90), alpha: int = 255) -> np.ndarray:
    """A crop with a uniform opaque square in its middle half, transparent elsewhere."""
    rgba = np.zeros((SIZE, SIZE, 4), np.uint8)
    rgba[SIZE // 4: 3 * SIZE // 4, SIZE // 4: 3 * SIZE // 4] = (*colour, alpha)
    return rgba


@pytest.mark.parametrize("scale", [1.0, 0.5, 1.37])
def test_pixels_outside_the_box_are_the_backdrop_exactly(scale):
    backdrop = _gradient()
    rgba = np.full((SIZE, SIZE, 4), 255, np.uint8)           # an opaque white crop fills the whole box
    out = paste_back(rgba, FRAMING, backdrop, scale)
    width, height = paste_back_size(FRAMING, scale)
    assert out.shape == (height, width, 3) and out.dtype == np.uint8
    expected = paste_back(np.zeros_like(rgba), FRAMING, backdrop, scale)      # alpha 0: the resized backdrop
    outside = _outside_box(height, width, FRAMING, scale)
    assert np.array_equal(out[outside], expected[outside])
    assert (out[~_outside_box(height, width, FRAMING, scale, margin=-2.0)] == 255).all()   # well inside: white
    if scale == 1.0:
        assert np.array_equal(expected, backdrop)


def test_an_opaque_region_pastes_its_colour_where_the_box_puts_it():
    backdrop = _gradient()
    out = paste_back(_uniform_crop(), FRAMING, backdrop)
    # Crop centre (63.5, 63.5) -> source x0 + 63.5 * 160 / 128 = 139.375, y = -20 + 79.375 = 59.375.
    assert (out[50:70, 130:150] == (200, 30, 90)).all()
    assert np.array_equal(out[10, 75], backdrop[10, 75])     # inside the box, where the crop is transparent
    assert np.array_equal(out[150, 250], backdrop[150, 250])


def test_output_sizes_are_even():
    odd = Framing(641, 359, (100.0, 50.0, 200.0))
    for scale in (1.0, 0.5, 0.333, 1.5):
        width, height = paste_back_size(odd, scale)
        assert width % 2 == 0 and height % 2 == 0
        assert abs(width - 641 * scale) <= 1 and abs(height - 359 * scale) <= 1
        assert paste_back(_uniform_crop(), odd, None, scale).shape == (height, width, 4)


def test_transparent_mode_is_clear_outside_the_box_and_keeps_straight_colour():
    out = paste_back(_uniform_crop(alpha=128), FRAMING, None)
    assert out.shape == (200, 320, 4)
    assert (out[_outside_box(200, 320, FRAMING, 1.0)][:, 3] == 0).all()
    centre = out[50:70, 130:150]
    assert (centre[..., 3] == 128).all() and (np.abs(centre[..., :3].astype(int) - (200, 30, 90)) <= 1).all()


def test_a_crop_of_the_backdrop_pastes_back_onto_it():
    backdrop = _gradient()
    crop = crop_frame(backdrop, np.array(FRAMING.box), SIZE)
    clear = paste_back(np.dstack([crop, np.zeros((SIZE, SIZE), np.uint8)]), FRAMING, backdrop)
    assert np.array_equal(clear, backdrop)
    opaque = paste_back(np.dstack([crop, np.full((SIZE, SIZE), 255, np.uint8)]), FRAMING, backdrop)
    inner = (slice(0, 138), slice(62, 218))                 # the box in the frame, less its edge pixels
    assert np.abs(opaque[inner].astype(int) - backdrop[inner]).max() <= 2
    shifted = paste_back(np.dstack([crop, np.full((SIZE, SIZE), 255, np.uint8)]),
                         Framing(320, 200, (68.0, -20.0, 160.0)), backdrop)
    assert np.abs(shifted[inner].astype(int) - backdrop[inner]).max() > 2   # the wrong box would show


def test_edges_do_not_fringe_with_the_colour_of_transparent_pixels():
    """Transparent pixels hold green (a renderer's garbage): no green may leak into a magenta square's edges."""
    backdrop = np.full((200, 320, 3), 100, np.uint8)
    rgba = np.zeros((SIZE, SIZE, 4), np.uint8)
    rgba[..., 1] = 255                                          # green, alpha 0
    rgba[40:90, 40:90] = (255, 0, 255, 255)                     # opaque magenta
    out = paste_back(rgba, Framing(320, 200, (60.3, 10.7, 137.0)), backdrop)
    assert out[..., 1].max() <= 100 and out[..., 0].max() == 255
    clear = paste_back(rgba, Framing(320, 200, (60.3, 10.7, 137.0)), None)
    assert clear[clear[..., 3] > 0][:, 1].max() == 0            # straight colour: magenta only


def test_a_box_the_crops_size_at_whole_pixels_pastes_the_crop_unchanged():
    rgba = np.random.default_rng(0).integers(0, 256, (SIZE, SIZE, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    out = paste_back(rgba, Framing(320, 200, (60.0, -20.0, float(SIZE))), _gradient())
    assert np.array_equal(out[0:108, 60:188], rgba[20:128, :, :3])


def test_a_box_entirely_outside_the_frame_leaves_the_backdrop():
    backdrop = _gradient()
    out = paste_back(np.full((SIZE, SIZE, 4), 255, np.uint8), Framing(320, 200, (400.0, 0.0, 100.0)), backdrop)
    assert np.array_equal(out, backdrop)


@pytest.mark.parametrize("rgba, scale", [(np.zeros((64, 32, 4), np.uint8), 1.0), (np.zeros((64, 64, 3), np.uint8), 1.0),
                                         (np.zeros((64, 64, 4), np.float32), 1.0),
                                         (np.zeros((64, 64, 4), np.uint8), 0.0),
                                         (np.zeros((64, 64, 4), np.uint8), float("nan"))])
def test_bad_inputs_are_one_line_render_errors(rgba, scale):
    with pytest.raises(RenderError) as caught:
        paste_back(rgba, FRAMING, None, scale)
    assert "\n" not in str(caught.value)
