"""Volume rendering: compositing weights and premultiplied sums."""

from __future__ import annotations

import torch

from realtalk_core.render.renderer import accumulate, render_weights


def test_render_weights_sum_to_at_most_one_and_to_the_opacity():
    generator = torch.Generator().manual_seed(0)
    density = torch.rand(200, 16, generator=generator) * torch.tensor([0.0, 1.0, 10.0, 1e4]).repeat(50)[:, None]
    deltas = torch.rand(200, 16, generator=generator) * 0.2
    weights = render_weights(density, deltas)
    assert (weights >= 0).all()
    total = weights.sum(-1)
    assert (total <= 1.0 + 1e-6).all()
    opacity = 1.0 - torch.exp(-(density * deltas).sum(-1))
    torch.testing.assert_close(total, opacity, atol=1e-5, rtol=0)
    assert (total[0::4] == 0).all() and (total[3::4] > 0.999).all()       # empty rays and solid rays


def test_the_first_opaque_sample_hides_the_rest():
    density = torch.tensor([[0.0, 1e6, 1.0, 1e6]])
    weights = render_weights(density, torch.full((1, 4), 0.1))
    torch.testing.assert_close(weights, torch.tensor([[0.0, 1.0, 0.0, 0.0]]))
    values = torch.tensor([[[9.0], [2.0], [7.0], [5.0]]])
    torch.testing.assert_close(accumulate(weights, values), torch.tensor([[2.0]]))
