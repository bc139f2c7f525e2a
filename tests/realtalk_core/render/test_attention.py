"""Condition tokens and the per-point attention over them (folded for speed, equal to the plain form)."""

from __future__ import annotations

import torch

from realtalk_core.render.attention import STATIC, AttentionConfig, ConditionTokens, PointAttention


def _attention(seed: int = 0) -> PointAttention:
    torch.manual_seed(seed)
    attention = PointAttention(12, AttentionConfig(token_dim=8, query_hidden=6)).double()
    with torch.no_grad():                       # FiLM starts at zero (identity); give it weights to test the sum
        attention.film.weight.normal_()
        attention.film.bias.normal_()
    return attention


def _unfolded(attention: PointAttention, features: torch.Tensor, tokens: torch.Tensor):
    """The textbook form the folded one stands for."""
    query = attention.query_out(torch.relu(attention.query_in(features)))                 # (N, d)
    keys = attention.key(tokens)                                                           # (K, d)
    weights = (query @ keys.t() / keys.shape[-1] ** 0.5).softmax(dim=-1)                   # (N, K)
    gamma, beta = attention.film(weights @ attention.value(tokens)).chunk(2, dim=-1)
    return features * (1.0 + gamma) + beta, weights


def test_weights_sum_to_one_and_the_folded_form_equals_the_unfolded_one():
    attention = _attention()
    generator = torch.Generator().manual_seed(1)
    features = torch.randn(50, 12, generator=generator, dtype=torch.float64)
    tokens = torch.randn(5, 8, generator=generator, dtype=torch.float64) * 3
    modulated, weights = attention(features, tokens)
    assert modulated.shape == (50, 12) and weights.shape == (50, 5)
    assert (weights >= 0).all()
    torch.testing.assert_close(weights.sum(-1), torch.ones(50, dtype=torch.float64))
    expected_modulated, expected_weights = _unfolded(attention, features, tokens)
    torch.testing.assert_close(weights, expected_weights, atol=1e-12, rtol=1e-10)
    torch.testing.assert_close(modulated, expected_modulated, atol=1e-12, rtol=1e-10)


def test_a_fresh_attention_leaves_the_features_unchanged():
    attention = PointAttention(12, AttentionConfig(token_dim=8, query_hidden=6))
    features = torch.randn(7, 12)
    modulated, _ = attention(features, torch.randn(3, 8))
    assert torch.equal(modulated, features)


def test_tokens_follow_the_group_order_with_the_static_token_last():
    sizes = {"bs:jaw": 4, "lm:lips_outer": 6}
    tokens = ConditionTokens(sizes, AttentionConfig(token_dim=8))
    assert tokens.names == ("bs:jaw", "lm:lips_outer", STATIC)
    groups = {"lm:lips_outer": torch.zeros(2, 6), "bs:jaw": torch.zeros(2, 4)}      # dict order does not matter
    out = tokens(groups)
    assert out.shape == (2, 3, 8)
    torch.testing.assert_close(out[:, 2], tokens.identity[2].expand(2, 8))          # static: no condition at all
    jaw = dict(groups, **{"bs:jaw": torch.ones(2, 4)})
    moved = tokens(jaw)
    assert not torch.equal(moved[:, 0], out[:, 0])
    assert torch.equal(moved[:, 1:], out[:, 1:])
