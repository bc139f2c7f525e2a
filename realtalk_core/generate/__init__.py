"""``realtalk generate``: audio + emotion curves -> a Take, and re-baking a Take's emotion."""

from .layers import LAYERS_NPZ, NeutralLayer
from .pipeline import GenerateConfig, apply_emotion, build_take, neutral_layer, write_generated
from .subject import DEMO, SubjectIdentity, resolve_subject

__all__ = ["DEMO", "GenerateConfig", "LAYERS_NPZ", "NeutralLayer", "SubjectIdentity", "apply_emotion",
           "build_take", "neutral_layer", "resolve_subject", "write_generated"]
