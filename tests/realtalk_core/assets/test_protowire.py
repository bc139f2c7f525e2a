"""The protobuf wire-format reader against hand-encoded messages and malformed bytes."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realtalk_core.assets import protowire as pw


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def key(number: int, wire_type: int) -> bytes:
    return varint(number << 3 | wire_type)


def test_varints_round_trip():
    for value in (0, 1, 127, 128, 300, 2**32, 2**63 - 1):
        assert pw.read_varint(varint(value), 0) == (value, len(varint(value)))


def test_message_with_every_wire_type():
    inner = key(1, 0) + varint(7)
    packed = struct.pack("<3f", 1.5, -2.0, 3.25)
    message = (key(1, 0) + varint(300) + key(2, 2) + varint(len(inner)) + inner
               + key(3, 5) + struct.pack("<f", 0.5) + key(3, 5) + struct.pack("<f", 4.0)
               + key(4, 2) + varint(len(packed)) + packed + key(5, 1) + struct.pack("<Q", 9)
               + key(6, 0) + varint(3) + key(6, 2) + varint(2) + varint(4) + varint(5))
    fields = pw.fields_by_number(message)
    assert fields[1][0].value == 300
    assert pw.fields_by_number(pw.only_bytes(fields, 2, "inner"))[1][0].value == 7
    assert pw.repeated_float32(fields, 3).tolist() == [0.5, 4.0]          # unpacked repeated
    assert pw.repeated_float32(fields, 4).tolist() == [1.5, -2.0, 3.25]   # packed
    assert fields[5][0].value == 9
    assert pw.repeated_varint(fields, 6).tolist() == [3, 4, 5]           # mixed encodings
    assert pw.repeated_varint(fields, 99).size == 0


@pytest.mark.parametrize("data,message", [
    (key(1, 2) + varint(10) + b"abc", "runs past the end"),
    (key(1, 0) + b"\xff" * 11, "longer than 10 bytes"),
    (key(1, 0) + b"\x80", "truncated varint"),
    (key(1, 5) + b"\x00", "truncated fixed32"),
    (key(1, 3), "unsupported wire type 3"),
    (key(0, 0) + varint(1), "field number 0"),
])
def test_malformed_messages(data, message):
    with pytest.raises(pw.WireFormatError, match=message):
        list(pw.iter_fields(data))


@given(st.binary(max_size=200))
def test_random_bytes_only_raise_wire_format_error(data):
    try:
        for item in pw.iter_fields(data):
            assert item.number > 0
    except pw.WireFormatError:
        pass
