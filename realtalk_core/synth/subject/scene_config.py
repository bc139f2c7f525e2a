"""The subject's whole configuration: camera, look, texture, head, hair, body, eyes, mouth, lights.

Plain data (no bpy), so callers and job files can carry it; ``scene.build_scene`` builds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .body import BodyConfig, HairConfig
from .camera import SubjectCameraConfig
from .eyes import EyeConfig
from .face_texture import FaceTextureConfig
from .head_mesh import HeadMeshConfig
from .materials import LookConfig
from .mouth import MouthConfig
from .stage import LightConfig


@dataclass(frozen=True)
class SubjectSceneConfig:
    """Everything that shapes the subject and its studio."""

    camera: SubjectCameraConfig = field(default_factory=SubjectCameraConfig)
    """The render camera."""
    look: LookConfig = field(default_factory=LookConfig)
    """Colours of skin, hair, eyes, clothes and backdrop."""
    texture: FaceTextureConfig = field(default_factory=FaceTextureConfig)
    """The painted face texture."""
    head: HeadMeshConfig = field(default_factory=HeadMeshConfig)
    """The skull shell."""
    hair: HairConfig = field(default_factory=HairConfig)
    """The haircut."""
    body: BodyConfig = field(default_factory=BodyConfig)
    """Neck and torso."""
    eyes: EyeConfig = field(default_factory=EyeConfig)
    """Eyeballs."""
    mouth: MouthConfig = field(default_factory=MouthConfig)
    """Teeth and tongue."""
    lights: LightConfig = field(default_factory=LightConfig)
    """Studio lights and backdrop."""
