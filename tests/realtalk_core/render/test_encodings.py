"""Tri-planes: sampling, coarse-to-fine doubling with the optimizer's moments carried along, smoothness."""

from __future__ import annotations

import itertools

import torch

from realtalk_core.render.encodings import TriPlaneConfig, TriPlaneEncoding

CORNERS = torch.tensor(list(itertools.product((-1.0, 1.0), repeat=3)))          # (8, 3)


def _encoding() -> TriPlaneEncoding:
    return TriPlaneEncoding(TriPlaneConfig(channels=2, resolutions=(8, 16), start_divisor=2, init_scale=0.3),
                            torch.Generator().manual_seed(0))


def _adam_step(encoding: TriPlaneEncoding, optimizer: torch.optim.Optimizer, seed: int) -> None:
    points = torch.rand(256, 3, generator=torch.Generator().manual_seed(seed)) * 2 - 1
    optimizer.zero_grad()
    encoding(points).square().sum().backward()
    optimizer.step()


def test_features_are_the_levels_concatenated_products_of_three_planes():
    encoding = _encoding()
    assert encoding.current_resolutions == (4, 8) and encoding.output_dim == 4
    assert encoding(torch.zeros(10, 3)).shape == (10, 4)
    # at a corner every plane is read at its corner texel: xy, xz and yz
    plane = encoding.planes[0].detach()                                          # (3, C, R, R)
    point = torch.tensor([[1.0, -1.0, 1.0]])                                     # x = +1, y = -1, z = +1
    expected = plane[0, :, 0, -1] * plane[1, :, -1, -1] * plane[2, :, -1, 0]     # [plane, C, row (2nd), col (1st)]
    torch.testing.assert_close(encoding(point)[0, :2], expected)


def test_upsample_doubles_the_planes_and_carries_the_adam_state():
    encoding = _encoding()
    optimizer = torch.optim.Adam(encoding.parameters(), lr=1e-2)
    _adam_step(encoding, optimizer, 0)
    old_planes = list(encoding.planes)
    old_state = [{k: v.clone() for k, v in optimizer.state[p].items()} for p in old_planes]
    before = encoding(CORNERS).detach()

    assert encoding.upsample(optimizer)
    assert encoding.current_resolutions == (8, 16)
    new_planes = list(encoding.planes)
    assert [p.shape[-1] for p in new_planes] == [8, 16]
    assert optimizer.param_groups[0]["params"] == new_planes                     # the same objects, in order
    assert all(p not in optimizer.state for p in old_planes)
    for plane, state, old in zip(new_planes, (optimizer.state[p] for p in new_planes), old_state):
        assert state["exp_avg"].shape == state["exp_avg_sq"].shape == plane.shape
        assert (state["exp_avg_sq"] >= 0).all()
        assert torch.equal(state["step"], old["step"])
        for moment in ("exp_avg", "exp_avg_sq"):                                 # corners survive the resize
            corners = [0, -1]
            torch.testing.assert_close(state[moment][..., corners][..., corners, :],
                                       old[moment][..., corners][..., corners, :])
    torch.testing.assert_close(encoding(CORNERS).detach(), before)               # the function is kept at the corners

    _adam_step(encoding, optimizer, 1)                                           # training goes on without a restart
    assert all(int(optimizer.state[p]["step"]) == 2 for p in new_planes)
    assert not encoding.upsample(optimizer)                                      # already at the final sizes
    assert encoding.current_resolutions == (8, 16)


def test_resize_to_matches_a_checkpoint_saved_mid_coarse_to_fine():
    trained = _encoding()
    trained.upsample()
    fresh = _encoding()
    fresh.resize_to(trained.current_resolutions)
    fresh.load_state_dict(trained.state_dict())
    points = torch.rand(32, 3) * 2 - 1
    assert torch.equal(fresh(points), trained(points))


def test_total_variation_is_zero_for_flat_planes_only():
    encoding = _encoding()
    assert float(encoding.tv_loss().detach()) > 0
    with torch.no_grad():
        for plane in encoding.planes:
            plane.fill_(1.0)
    assert float(encoding.tv_loss().detach()) == 0.0
