"""The talking-head model: wires condition, tokens, sampler, field, renderer, torso and decoder.

Read top to bottom, :meth:`TalkingHeadModel.render` is the data flow: condition tokens -> rays through the
head box (only rays that hit it) -> occupancy-grid proposal -> importance samples ->
field with attention -> volume rendering at 1/``upsample`` size -> torso branch + image decoder -> RGBA,
held to zero alpha wherever the person never appears, so background pixels come straight from the plate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field as dataclass_field
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from .attention import ConditionTokens
from .camera import head_rays, pixel_grid
from .condition import ConditionConfig, ConditionSpace
from .decoder import DecoderConfig, ImageDecoder
from .field import FieldConfig, HeadField
from .renderer import accumulate, render_weights
from .sampler import OccupancyGrid, SamplerConfig, importance, ray_box, stratified
from .torso import TorsoConfig, TorsoField, pose_summary

#: Size of the stored "where the person can be" mask (normalised image space).
REGION_SIZE = 64


@dataclass(frozen=True)
class ModelConfig:
    field: FieldConfig = dataclass_field(default_factory=FieldConfig)
    condition: ConditionConfig = dataclass_field(default_factory=ConditionConfig)
    sampler: SamplerConfig = dataclass_field(default_factory=SamplerConfig)
    torso: TorsoConfig = dataclass_field(default_factory=TorsoConfig)
    decoder: DecoderConfig = dataclass_field(default_factory=DecoderConfig)
    image_size: int = 256            #: the size the subject was trained at
    chunk_rays: int = 8192           #: rays per chunk (bounds memory)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> "ModelConfig":
        from .encodings import TriPlaneConfig
        from .attention import AttentionConfig

        fld = dict(data["field"])
        fld["encoding"] = TriPlaneConfig(**{**fld["encoding"], "resolutions": tuple(fld["encoding"]["resolutions"])})
        fld["attention"] = AttentionConfig(**fld["attention"])
        cond = {k: tuple(v) if isinstance(v, list) else v for k, v in data["condition"].items()}
        return ModelConfig(field=FieldConfig(**fld), condition=ConditionConfig(**cond),
                           sampler=SamplerConfig(**data["sampler"]), torso=TorsoConfig(**data["torso"]),
                           decoder=DecoderConfig(**data["decoder"]), image_size=int(data["image_size"]),
                           chunk_rays=int(data["chunk_rays"]))


class TalkingHeadModel(nn.Module):
    def __init__(self, config: ModelConfig, generator: torch.Generator | None = None) -> None:
        super().__init__()
        self.config = config
        self.condition = ConditionSpace(config.condition)
        self.tokens = ConditionTokens(config.condition.group_sizes(), config.field.attention)
        self.field = HeadField(config.field, generator)
        self.occupancy = OccupancyGrid(config.sampler)
        self.torso = TorsoField(config.torso)
        self.decoder = ImageDecoder(config.decoder, config.field.features + 1, config.torso.features)
        # Fitted from the dataset (see data.fit_model_buffers); saved with the weights.
        self.register_buffer("box_center", torch.zeros(3))
        self.register_buffer("box_half", torch.ones(3))
        self.register_buffer("intrinsics", torch.tensor([1.7, 0.5, 0.5]))
        self.register_buffer("pose_reference", torch.zeros(3))
        self.register_buffer("person_region", torch.ones(1, 1, REGION_SIZE, REGION_SIZE))
        self.last_samples = 0

    @property
    def token_names(self) -> tuple[str, ...]:
        return self.tokens.names

    @property
    def coarse_step(self) -> float:
        return 2.0 / self.config.sampler.coarse_samples

    def frame_tokens(self, landmarks: torch.Tensor, blendshapes: torch.Tensor, drop: tuple[str, ...] = ()
                     ) -> torch.Tensor:
        """(B, 478, 3), (B, 52) -> (B, K, d); groups named in ``drop`` are zeroed (their training mean)."""
        groups = self.condition(landmarks, blendshapes)
        for name in drop:
            groups[name] = torch.zeros_like(groups[name])
        return self.tokens(groups)

    def forward(self, *args, **kwargs) -> dict[str, torch.Tensor]:
        """Same as :meth:`render` (so DistributedDataParallel can wrap the model)."""
        return self.render(*args, **kwargs)

    def render(self, landmarks: torch.Tensor, blendshapes: torch.Tensor, head_pose: torch.Tensor, size: int,
               window: tuple[int, int, int, int] | None = None, generator: torch.Generator | None = None,
               with_attention: bool = False, drop: tuple[str, ...] = ()) -> dict[str, torch.Tensor]:
        """Render frames (or a window ``(y0, x0, h, w)`` of them, multiples of ``upsample``) at ``size``.

        Returns ``rgb`` (B, 3, h, w) straight colour, ``alpha`` (B, 1, h, w), ``head`` (B, F + 1, h/u, w/u)
        premultiplied volume features with opacity last, and with ``with_attention`` ``attention``
        (B, K, h/u, w/u). A whole frame larger than the trained ``image_size`` keeps the trained volume
        size (its maps are then smaller than h/u). A ``generator`` jitters the samples (training); without one rendering is deterministic.
        ``self.last_samples`` is then the number of field evaluations the call made (for speed figures).
        ``drop`` names condition groups to zero (training's condition dropout, so each kind can drive alone).
        """
        u = self.config.decoder.upsample
        y0, x0, h, w = window if window is not None else (0, 0, size, size)
        if size % u or y0 % u or x0 % u or h % u or w % u:
            raise ValueError(f"size and window must be multiples of the decoder's upsample factor {u}")
        tokens = self.frame_tokens(landmarks, blendshapes, drop)                 # (B, K, d)
        intrinsics = self.intrinsics.expand(len(head_pose), 3)
        # Whole frames above the trained size march no more rays than the subject has detail for: the volume
        # stays at the trained volume size and the decoder upsamples further.
        volume = min(size, self.config.image_size) // u if window is None else size // u
        scale = size / (volume * u) if window is None else 1.0
        vy0, vx0, vh, vw = (int(round(v / u / scale)) for v in (y0, x0, h, w))
        uv = pixel_grid(volume, volume, (vy0, vx0, vh, vw), device=head_pose.device)
        origins, directions = head_rays(uv[None].expand(len(head_pose), -1, -1, -1), intrinsics, head_pose)
        head, attention = [], []
        self.last_samples = 0
        for b in range(len(head_pose)):
            maps = self._render_head(origins[b].reshape(-1, 3), directions[b].reshape(-1, 3), tokens[b],
                                     generator, with_attention)
            head.append(maps[0].t().reshape(-1, vh, vw))
            if with_attention:
                attention.append(maps[1].t().reshape(-1, vh, vw))
        head_maps = torch.stack(head)                                            # (B, F + 1, h/u, w/u)
        full_uv = pixel_grid(size, size, (y0, x0, h, w), device=head_pose.device)
        torso = self.torso(full_uv, pose_summary(head_pose, self.pose_reference))
        rgb, alpha = self.decoder(head_maps, torso)
        region = F.grid_sample(self.person_region.expand(len(head_pose), -1, -1, -1),
                               (full_uv * 2.0 - 1.0)[None].expand(len(head_pose), -1, -1, -1),
                               mode="bilinear", align_corners=False)
        out = {"rgb": rgb, "alpha": alpha * region, "head": head_maps}
        if with_attention:
            out["attention"] = torch.stack(attention)
        return out

    def _render_head(self, origins: torch.Tensor, directions: torch.Tensor, tokens: torch.Tensor,
                     generator: torch.Generator | None, with_attention: bool) -> tuple[torch.Tensor, torch.Tensor | None]:
        """One frame's rays (R, 3) in the head frame -> (R, F + 1) premultiplied features + opacity [, (R, K)]."""
        channels = self.config.field.features + 1
        out = origins.new_zeros(len(origins), channels)
        att = origins.new_zeros(len(origins), len(self.token_names)) if with_attention else None
        o = (origins - self.box_center) / self.box_half
        d = directions / self.box_half
        d = d / d.norm(dim=-1, keepdim=True)
        near, far, hit = ray_box(o, d)
        rays = torch.nonzero(hit)[:, 0]
        if len(rays) and int(self.occupancy.updates) > 0:
            rays = rays[self._crosses_occupied(o[rays], d[rays], near[rays], far[rays])]
        if len(rays) == 0:
            return out, att
        self.last_samples += int(len(rays)) * self.config.sampler.fine_samples
        for chunk in rays.split(self.config.chunk_rays):
            features, opacity, weights_att = self._march(o[chunk], d[chunk], near[chunk], far[chunk], tokens,
                                                         generator, with_attention)
            out = out.index_copy(0, chunk, torch.cat([features, opacity[:, None]], dim=-1))
            if att is not None:
                att = att.index_copy(0, chunk, weights_att)
        return out, att

    @torch.no_grad()
    def _crosses_occupied(self, o, d, near, far) -> torch.Tensor:
        """(R,) bool: the ray passes through at least one occupied cell (the others stay fully transparent)."""
        keep = torch.zeros(len(o), dtype=torch.bool, device=o.device)
        for part in torch.arange(len(o), device=o.device).split(self.config.chunk_rays):
            edges = stratified(near[part], far[part], self.config.sampler.coarse_samples, None)
            mids = 0.5 * (edges[:, 1:] + edges[:, :-1])
            points = o[part, None] + d[part, None] * mids[..., None]
            keep[part] = self.occupancy.occupied(points, self.coarse_step).any(dim=-1)
        return keep

    def _march(self, o, d, near, far, tokens, generator, with_attention):
        sampler = self.config.sampler
        with torch.no_grad():
            edges = stratified(near, far, sampler.coarse_samples, generator)              # (R, Sc + 1)
            mids = 0.5 * (edges[:, 1:] + edges[:, :-1])
            points = o[:, None] + d[:, None] * mids[..., None]                           # (R, Sc, 3)
            density = self.occupancy.proposal_density(points, self.coarse_step)
            proposal = render_weights(density, edges[:, 1:] - edges[:, :-1])
            fine = importance(edges, proposal, sampler.fine_samples, sampler.uniform_mass, generator)
        mids = 0.5 * (fine[:, 1:] + fine[:, :-1])
        points = (o[:, None] + d[:, None] * mids[..., None]).clamp(-1.0, 1.0)          # (R, Sf, 3)
        density, values, attention = self.field(points.reshape(-1, 3), tokens)
        density = density.reshape(mids.shape)
        weights = render_weights(density, fine[:, 1:] - fine[:, :-1])                   # (R, Sf)
        features = accumulate(weights, values.reshape(*mids.shape, -1))
        weights_att = accumulate(weights, attention.reshape(*mids.shape, -1)) if with_attention else None
        return features, weights.sum(-1), weights_att
