"""Which channels can landmarks observe? Distinctness of each channel's move from all the others.

A channel's *distinctness* is the share of its (weighted, unit-norm) landmark move that
no combination of the other channels can reproduce: 1 for a move nothing else makes,
0 for one the others make exactly. Its opposing partner (``OPPOSING_PAIRS``) is left
out of "the others": the solver keeps such pairs one-sided.

``PROXY_CHANNELS`` are channels whose landmark move is a stand-in for something the
478 landmarks do not contain; landmarks do not observe them whatever their distinctness.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np

from .face_rig import FaceRig
from .solver import OPPOSING_PAIRS, BlendshapeSolver, SolverConfig

#: Below this distinctness a channel is reported as confounded with its most similar one.
CONFOUNDED_BELOW = 0.15
#: Landmark noise (metres, iid per coordinate of every landmark) behind ``noise_std``.
NOISE_M = 0.5e-3

#: Channels the landmarks cannot see, with the reason.
PROXY_CHANNELS: Mapping[str, str] = MappingProxyType({
    "tongueOut": "MediaPipe has no tongue landmarks; the rig's tongueOut is a small proxy push of the "
                 "lower lip that real landmarks cannot tell from mouthLowerDown / mouthRollLower",
})


@dataclass(frozen=True)
class ChannelObservability:
    name: str
    peak_mm: float          #: largest landmark displacement at weight 1
    distinctness: float     #: share of the move no other channel reproduces, in [0, 1]
    similar: str            #: the most similar other channel (largest |cosine|)
    similar_cosine: float   #: cosine with it
    noise_std: float        #: std of the weight's least-squares estimate under NOISE_M landmark noise

    @property
    def verdict(self) -> str:
        """"yes", "proxy" or "confounded"."""
        if self.name in PROXY_CHANNELS:
            return "proxy"
        return "confounded" if self.distinctness < CONFOUNDED_BELOW else "yes"


def _partner(name: str) -> str | None:
    for a, b in OPPOSING_PAIRS:
        if name in (a, b):
            return b if name == a else a
    return None


def observability(rig: FaceRig, config: SolverConfig | None = None) -> dict[str, ChannelObservability]:
    """Per channel: peak displacement, distinctness, most similar channel and noise sensitivity."""
    config = config or SolverConfig()
    solver = BlendshapeSolver.for_rig(rig, config)
    cosine = solver.correlation()                                          # (52, 52)
    names = list(rig.names)
    peaks = rig.peak_displacement()
    basis = rig.deltas.reshape(len(names), -1).T                           # (1434, 52)
    p = np.repeat(config.landmark_weights(), 3)                            # (1434,)
    # An opposing pair is one signed direction: keep only its first channel among "the others".
    seconds = {b for _, b in OPPOSING_PAIRS}
    out = {}
    for row, name in enumerate(names):
        others = [k for k, other in enumerate(names)
                  if k != row and other != _partner(name) and other not in seconds]
        # Distinctness = sqrt(1 - |projection onto the others' span|^2), from the Gram matrix.
        sub = cosine[np.ix_(others, others)]
        link = cosine[others, row]
        explained = link @ np.linalg.lstsq(sub, link, rcond=1e-10)[0]
        similar = others[int(np.argmax(np.abs(link)))]
        out[name] = ChannelObservability(
            name=name, peak_mm=1000.0 * peaks[name], distinctness=float(np.sqrt(max(0.0, 1.0 - explained))),
            similar=names[similar], similar_cosine=float(cosine[row, similar]),
            noise_std=_noise_std(basis[:, [row] + others], p))
    return out


def _noise_std(basis: np.ndarray, p: np.ndarray) -> float:
    """Std of the first coefficient of the weighted least-squares fit with basis (3N, K), weights p (3N,).

    Landmark noise of NOISE_M per coordinate: cov = s^2 (B'PB)^-1 B'P^2B (B'PB)^-1.
    """
    normal_inv = np.linalg.pinv(basis.T @ (basis * p[:, None]))
    middle = basis.T @ (basis * (p * p)[:, None])
    return float(NOISE_M * np.sqrt((normal_inv @ middle @ normal_inv)[0, 0]))


def unobservable(rig: FaceRig, config: SolverConfig | None = None) -> dict[str, str]:
    """Channels the landmarks do not pin down (proxies and confounded ones), name -> reason."""
    reasons = {}
    for name, item in observability(rig, config).items():
        if item.verdict == "proxy":
            reasons[name] = PROXY_CHANNELS[name]
        elif item.verdict == "confounded":
            reasons[name] = (f"only {item.distinctness:.0%} of its landmark move is its own; "
                             f"closest is {item.similar} (cosine {item.similar_cosine:+.2f})")
    return reasons
