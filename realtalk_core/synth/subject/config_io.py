"""Nested frozen dataclass configs to and from JSON-ready dicts (tuples come back as tuples)."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, TypeVar

T = TypeVar("T")


def to_dict(config: Any) -> dict[str, Any]:
    """A JSON-ready dict of a dataclass instance (nested ones included)."""
    return dataclasses.asdict(config)


def from_dict(cls: type[T], data: Any, where: str = "config") -> T:
    """Rebuild ``cls`` from ``data``; unknown keys raise ValueError naming ``where``; missing keys take defaults."""
    if not isinstance(data, dict):
        raise ValueError(f"{where} must be an object")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"{where}: unknown field {unknown[0]!r}")
    values = {}
    for name, value in data.items():
        hint = hints[name]
        if dataclasses.is_dataclass(hint):
            values[name] = from_dict(hint, value, f"{where}.{name}")
        else:
            values[name] = _tuples(value)
    return cls(**values)


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value
