"""Where rays are sampled: the head box, stratified and importance samples, the occupancy grid."""

from __future__ import annotations

import math

import torch

from realtalk_core.render.sampler import OccupancyGrid, SamplerConfig, importance, ray_box, stratified


def test_ray_box_hits_misses_and_starts_inside():
    origins = torch.tensor([[0.0, 0.0, 5.0],      # straight through the middle
                            [5.0, 5.0, 5.0],      # parallel to z, beside the box
                            [0.0, 0.0, 0.0],      # starts inside
                            [0.0, 0.0, 5.0],      # points away
                            [3.0, 0.0, 3.0]])     # diagonal, through an edge region
    directions = torch.tensor([[0.0, 0.0, -1.0], [0.0, 0.0, -1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0],
                               [-1.0, 0.0, -1.0]])
    directions = directions / directions.norm(dim=-1, keepdim=True)
    near, far, hit = ray_box(origins, directions)
    assert hit.tolist() == [True, False, True, False, True]
    torch.testing.assert_close(near[0], torch.tensor(4.0))
    torch.testing.assert_close(far[0], torch.tensor(6.0))
    torch.testing.assert_close(near[2], torch.tensor(0.0))           # inside: the ray starts at its origin
    torch.testing.assert_close(far[2], torch.tensor(1.0))
    torch.testing.assert_close(near[4], torch.tensor(2.0 * math.sqrt(2.0)))
    torch.testing.assert_close(far[4], torch.tensor(4.0 * math.sqrt(2.0)))
    # the hit interval's ends lie on the box surface
    for i in (0, 4):
        for t in (near[i], far[i]):
            point = origins[i] + t * directions[i]
            assert abs(float(point.abs().max()) - 1.0) < 1e-5


def test_stratified_edges_span_the_interval_and_jitter_only_with_a_generator():
    near, far = torch.tensor([0.5, 1.0]), torch.tensor([2.5, 1.5])
    plain = stratified(near, far, 8, None)
    torch.testing.assert_close(plain[0], torch.linspace(0.5, 2.5, 9))
    jittered = stratified(near, far, 8, torch.Generator().manual_seed(0))
    assert not torch.equal(plain, jittered)
    assert torch.equal(jittered[:, 0], near) and torch.equal(jittered[:, -1], far)
    assert (jittered.diff(dim=-1) > 0).all()
    assert torch.equal(jittered, stratified(near, far, 8, torch.Generator().manual_seed(0)))


def test_importance_returns_sorted_edges_within_near_and_far():
    generator = torch.Generator().manual_seed(1)
    rows, bins = 64, 12
    near = torch.rand(rows, generator=generator)
    far = near + 0.1 + torch.rand(rows, generator=generator)
    edges = stratified(near, far, bins, generator)
    weights = torch.rand(rows, bins, generator=generator) ** 4
    weights[:5] = 0.0                                              # empty rays: the uniform share still samples them
    for gen in (None, torch.Generator().manual_seed(2)):
        samples = importance(edges, weights, 6, 0.02, gen)
        assert samples.shape == (rows, 7)
        assert (samples.diff(dim=-1) >= 0).all()
        assert torch.equal(samples[:, 0], edges[:, 0]) and torch.equal(samples[:, -1], edges[:, -1])
        assert ((samples >= near[:, None]) & (samples <= far[:, None] + 1e-6)).all()
    assert torch.equal(importance(edges, weights, 6, 0.02, None), importance(edges, weights, 6, 0.02, None))


def test_importance_puts_its_samples_where_the_weight_is():
    edges = torch.linspace(0.0, 1.0, 11)[None]                     # ten bins of 0.1
    weights = torch.zeros(1, 10)
    weights[0, 7] = 1.0
    samples = importance(edges, weights, 20, 0.0, None)[0, 1:-1]
    assert ((samples >= 0.7) & (samples <= 0.8)).float().mean() > 0.9


def test_occupancy_grid_keeps_the_running_maximum_and_indexes_cells_x_major():
    config = SamplerConfig(grid_resolution=4, grid_decay=0.5)
    grid = OccupancyGrid(config)
    assert int(grid.cell_index(torch.tensor([[0.9, -0.9, -0.9]]))) == 3 * 16          # x major
    assert int(grid.cell_index(torch.tensor([[-0.9, -0.9, 0.9]]))) == 3
    def blob(points: torch.Tensor) -> torch.Tensor:                                    # dense in the 8 inner cells
        return 50.0 * (points.abs().amax(dim=-1) <= 0.5).float()

    share = grid.update(blob, torch.Generator().manual_seed(0), step=0.1)
    assert share == 8 / 64 and int(grid.updates) == 1
    centre, corner = torch.tensor([[0.1, 0.1, 0.1]]), torch.tensor([[0.9, 0.9, 0.9]])
    assert bool(grid.occupied(centre, 0.1)) and not bool(grid.occupied(corner, 0.1))
    assert float(grid.proposal_density(centre, 0.1)) <= -math.log(1.0 - config.proposal_alpha) / 0.1 + 1e-5
    grid.update(lambda p: torch.zeros(len(p)), torch.Generator().manual_seed(1), step=0.1)
    assert float(grid.density.max()) == 25.0                                           # decayed, not forgotten
