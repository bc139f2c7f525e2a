"""How a subject is trained: one typed config, and the named presets (data, not code)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .attention import AttentionConfig
from .decoder import DecoderConfig
from .encodings import TriPlaneConfig
from .field import FieldConfig
from .losses import LossConfig
from .model import ModelConfig
from .sampler import SamplerConfig
from .torso import TorsoConfig


@dataclass(frozen=True)
class SubjectTrainConfig:
    model: ModelConfig = field(default_factory=ModelConfig)
    losses: LossConfig = field(default_factory=LossConfig)
    iterations: int = 8000
    batch_frames: int = 1            #: frames per step (per process under torchrun)
    patch: int = 128                 #: side of the output-pixel crop trained per frame (0: the whole frame)
    mouth_patch_share: float = 0.5   #: share of crops centred on the mouth
    condition_dropout: float = 0.15  #: chance per step of zeroing all landmark groups (and, separately, all blendshape groups)
    lr_planes: float = 2e-2
    lr_networks: float = 2e-3
    lr_final_fraction: float = 0.05  #: cosine decay ends at this fraction of the start rate
    upsample_at: tuple[float, ...] = (0.1, 0.3)   #: fractions of the run where the planes double
    grid_warmup: int = 50            #: first occupancy-grid update
    grid_every: int = 200            #: later updates
    grid_frames: int = 4             #: training expressions whose density maximum the grid keeps per update
    val_every: int = 500             #: validation renders and the loss plot
    val_frames: int = 2
    checkpoint_every: int = 500
    seed: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> "SubjectTrainConfig":
        values = dict(data)
        values["model"] = ModelConfig.from_json(values["model"])
        values["losses"] = LossConfig(**values["losses"])
        values["upsample_at"] = tuple(values["upsample_at"])
        return SubjectTrainConfig(**values)


def _tiny() -> SubjectTrainConfig:
    model = ModelConfig(
        field=FieldConfig(encoding=TriPlaneConfig(channels=4, resolutions=(16, 32), start_divisor=2),
                          attention=AttentionConfig(token_dim=8, query_hidden=8), hidden=16, features=8),
        sampler=SamplerConfig(coarse_samples=12, fine_samples=6, grid_resolution=16),
        torso=TorsoConfig(bands=2, hidden=8, features=4), decoder=DecoderConfig(width=8, upsample=2, blocks=1),
        image_size=256, chunk_rays=4096)
    return SubjectTrainConfig(model=model, iterations=4, patch=32, upsample_at=(0.5,), grid_warmup=2,
                              grid_every=2, grid_frames=1, val_every=4, val_frames=1, checkpoint_every=2)


def _cpu_fast() -> SubjectTrainConfig:
    return SubjectTrainConfig()


def _gpu_quality() -> SubjectTrainConfig:
    model = ModelConfig(
        field=FieldConfig(encoding=TriPlaneConfig(channels=12, resolutions=(64, 128, 256, 512)), hidden=96,
                          features=24),
        sampler=SamplerConfig(coarse_samples=64, fine_samples=32, grid_resolution=64),
        decoder=DecoderConfig(width=48, upsample=2, blocks=3), chunk_rays=65536)
    return SubjectTrainConfig(model=model, iterations=40000, batch_frames=4, patch=0, val_every=2000,
                              checkpoint_every=2000)


PRESETS = {"tiny": _tiny, "cpu-fast": _cpu_fast, "gpu-quality": _gpu_quality}
DEFAULT_PRESET = "gpu-quality"


def preset(name: str, iterations: int | None = None, seed: int | None = None, image_size: int | None = None
           ) -> SubjectTrainConfig:
    """A named preset with optional overrides."""
    config = PRESETS[name]()
    if image_size is not None:
        config = replace(config, model=replace(config.model, image_size=image_size))
    if iterations is not None:
        config = replace(config, iterations=iterations)
    if seed is not None:
        config = replace(config, seed=seed)
    return config
