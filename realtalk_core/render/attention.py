"""Condition tokens and the per-point attention over them.

Each named condition group becomes one token (a linear map of its values plus a learnt identity
embedding); one more token, ``static``, carries no condition, so points the expression does not move (hair,
ears, the back of the head) can attend to nothing. A sampled point queries the tokens with its own tri-plane
features, so the attention weights depend on position: the mouth learns to listen to the jaw, mouth and lip
tokens, the eyes to the eye tokens. The attended value modulates the point's features (FiLM) before the
density and colour heads.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

STATIC = "static"


@dataclass(frozen=True)
class AttentionConfig:
    token_dim: int = 32          #: width of a condition token
    query_hidden: int = 32       #: hidden width of the point's query network


class ConditionTokens(nn.Module):
    """{group: (B, n_g)} -> (B, K, token_dim), K = groups + 1 (the static token last)."""

    def __init__(self, group_sizes: dict[str, int], config: AttentionConfig) -> None:
        super().__init__()
        self.names = tuple(group_sizes) + (STATIC,)
        self.maps = nn.ModuleDict({_key(n): nn.Linear(size, config.token_dim) for n, size in group_sizes.items()})
        self.identity = nn.Parameter(0.1 * torch.randn(len(self.names), config.token_dim))

    def forward(self, groups: dict[str, torch.Tensor]) -> torch.Tensor:
        first = next(iter(groups.values()))
        tokens = [self.maps[_key(n)](groups[n]) for n in self.names[:-1]]
        tokens.append(first.new_zeros(len(first), self.identity.shape[1]))
        return torch.stack(tokens, dim=1) + self.identity


class PointAttention(nn.Module):
    """Point features attend over one frame's tokens; returns FiLM-modulated features and the weights."""

    def __init__(self, feature_dim: int, config: AttentionConfig) -> None:
        super().__init__()
        d = config.token_dim
        self.scale = d ** -0.5
        self.query_in = nn.Linear(feature_dim, config.query_hidden)
        self.query_out = nn.Linear(config.query_hidden, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.film = nn.Linear(d, 2 * feature_dim)
        nn.init.zeros_(self.film.weight)
        nn.init.zeros_(self.film.bias)

    def forward(self, features: torch.Tensor, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``features`` (N, F) of points of one frame, ``tokens`` (K, d) -> (N, F) modulated, (N, K) weights.

        Same as attending with query ``query_out(relu(query_in(f)))`` and FiLM of the attended value, but the
        per-frame linear maps are folded into the K tokens first (the weights sum to one), so each point pays
        for one small matmul instead of four.
        """
        keys = self.key(tokens)                                                    # (K, d)
        folded_keys = keys @ self.query_out.weight * self.scale                    # (K, hidden)
        key_bias = keys @ self.query_out.bias * self.scale                         # (K,)
        logits = torch.relu(self.query_in(features)) @ folded_keys.t() + key_bias  # (N, K)
        weights = logits.softmax(dim=-1)
        modulation = self.film(self.value(tokens))                                 # (K, 2F)
        gamma, beta = (weights @ modulation).chunk(2, dim=-1)
        return features * (1.0 + gamma) + beta, weights


def _key(name: str) -> str:
    """ModuleDict keys cannot hold ':' or '.'."""
    return name.replace(":", "__").replace(".", "_")
