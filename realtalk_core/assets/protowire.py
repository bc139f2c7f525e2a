"""A small reader for the protobuf wire format (no protobuf dependency, no schema).

It splits a message into ``(field_number, wire_type, value)`` records; length-delimited
values stay ``bytes`` so the caller decides whether they are sub-messages, strings or
packed arrays. Malformed input raises :class:`WireFormatError`, never anything else.
"""

from __future__ import annotations

import struct
from typing import Iterator, NamedTuple

import numpy as np

VARINT, FIXED64, LENGTH, START_GROUP, END_GROUP, FIXED32 = 0, 1, 2, 3, 4, 5


class WireFormatError(ValueError):
    """The bytes are not a valid protobuf message."""


class Field(NamedTuple):
    number: int
    wire_type: int
    value: int | bytes


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """Decode one base-128 varint at ``pos``; return (value, next position)."""
    result = shift = 0
    while True:
        if pos >= len(data):
            raise WireFormatError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            raise WireFormatError("varint longer than 10 bytes")


def iter_fields(data: bytes) -> Iterator[Field]:
    """Yield the top-level fields of one message, in order."""
    pos, end = 0, len(data)
    while pos < end:
        key, pos = read_varint(data, pos)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise WireFormatError("field number 0 is invalid")
        if wire_type == VARINT:
            value, pos = read_varint(data, pos)
        elif wire_type == FIXED64:
            if pos + 8 > end:
                raise WireFormatError("truncated fixed64")
            value, pos = struct.unpack_from("<Q", data, pos)[0], pos + 8
        elif wire_type == FIXED32:
            if pos + 4 > end:
                raise WireFormatError("truncated fixed32")
            value, pos = struct.unpack_from("<I", data, pos)[0], pos + 4
        elif wire_type == LENGTH:
            size, pos = read_varint(data, pos)
            if pos + size > end:
                raise WireFormatError(f"field {number}: length {size} runs past the end")
            value, pos = bytes(data[pos:pos + size]), pos + size
        else:
            raise WireFormatError(f"field {number}: unsupported wire type {wire_type}")
        yield Field(number, wire_type, value)


def fields_by_number(data: bytes) -> dict[int, list[Field]]:
    """All fields of a message, grouped by field number (repeated fields keep their order)."""
    grouped: dict[int, list[Field]] = {}
    for item in iter_fields(data):
        grouped.setdefault(item.number, []).append(item)
    return grouped


def only_bytes(grouped: dict[int, list[Field]], number: int, what: str) -> bytes:
    """The single length-delimited field ``number``; raises WireFormatError naming ``what``."""
    items = grouped.get(number, [])
    if len(items) != 1 or items[0].wire_type != LENGTH:
        raise WireFormatError(f"{what}: expected one length-delimited field {number}, found {len(items)}")
    return items[0].value  # type: ignore[return-value]


def repeated_float32(grouped: dict[int, list[Field]], number: int) -> np.ndarray:
    """A ``repeated float`` field, packed or not, as a float32 array (empty if absent)."""
    parts: list[np.ndarray] = []
    for item in grouped.get(number, []):
        if item.wire_type == FIXED32:
            parts.append(np.array([item.value], dtype="<u4").view("<f4"))
        elif item.wire_type == LENGTH:
            parts.append(packed_float32(item.value))  # type: ignore[arg-type]
        else:
            raise WireFormatError(f"field {number}: wire type {item.wire_type} is not a float")
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)


def repeated_varint(grouped: dict[int, list[Field]], number: int) -> np.ndarray:
    """A ``repeated uint32/uint64`` field, packed or not, as an int64 array (empty if absent)."""
    values: list[int] = []
    for item in grouped.get(number, []):
        if item.wire_type == VARINT:
            values.append(item.value)  # type: ignore[arg-type]
        elif item.wire_type == LENGTH:
            values.extend(packed_varints(item.value).tolist())  # type: ignore[arg-type]
        else:
            raise WireFormatError(f"field {number}: wire type {item.wire_type} is not a varint")
    if any(v >= 2**63 for v in values):
        raise WireFormatError(f"field {number}: value out of range")
    return np.asarray(values, dtype=np.int64)


def packed_float32(data: bytes) -> np.ndarray:
    """A packed ``repeated float`` payload as a float32 array."""
    if len(data) % 4:
        raise WireFormatError("packed float32 payload is not a multiple of 4 bytes")
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


def packed_varints(data: bytes) -> np.ndarray:
    """A packed ``repeated uint32`` payload as an int64 array."""
    values, pos = [], 0
    while pos < len(data):
        value, pos = read_varint(data, pos)
        values.append(value)
    return np.asarray(values, dtype=np.int64)
