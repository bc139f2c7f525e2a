"""Guarded reading of ``.npz`` files.

``np.load`` trusts a file's headers: a hostile or corrupt file can claim a terabyte
array, hold a pickled object, or be a zip bomb. Here every member's npy header is read
and checked against an expected dtype and shape *before* any data is read, and the
zip's declared sizes must agree with that header. Only then are the raw bytes read
into a fresh array. Nothing is ever unpickled: object arrays are refused outright, which
is stricter than ``np.load(..., allow_pickle=False)``.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Callable, Mapping

import numpy as np

#: shape check: receives the member's shape, returns an error text or None.
ShapeCheck = Callable[[tuple[int, ...]], "str | None"]


class NpzFormatError(ValueError):
    """The archive or one of its members is not what was expected (message names the member)."""


def _read_header(handle: io.BufferedIOBase, member: str) -> tuple[tuple[int, ...], bool, np.dtype]:
    try:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            return np.lib.format.read_array_header_1_0(handle, max_header_size=10_000)
        if version in ((2, 0), (3, 0)):
            return np.lib.format.read_array_header_2_0(handle, max_header_size=10_000)
    except Exception as err:  # noqa: BLE001 - numpy's header parser raises many types on hostile bytes
        raise NpzFormatError(f"{member}: not a valid npy array ({type(err).__name__})") from None
    raise NpzFormatError(f"{member}: unsupported npy format version {version}")


def load_npz(path: str, expected: Mapping[str, tuple[np.dtype, ShapeCheck]],
             max_bytes: int) -> dict[str, np.ndarray]:
    """Load exactly the members in ``expected``; every failure is an NpzFormatError or OSError.

    See :func:`_load_npz` for the checks.
    """
    try:
        return _load_npz(path, expected, max_bytes)
    except (NpzFormatError, OSError, MemoryError):
        raise
    except Exception as err:  # noqa: BLE001 - a hostile archive must not surface as a traceback
        raise NpzFormatError(f"unreadable archive ({type(err).__name__}: {err})") from None


def _load_npz(path: str, expected: Mapping[str, tuple[np.dtype, ShapeCheck]],
              max_bytes: int) -> dict[str, np.ndarray]:
    """Load exactly the members in ``expected`` from ``path``.

    ``expected`` maps member name -> (dtype, shape check). Missing or extra members,
    a different dtype, a failed shape check, or more than ``max_bytes`` of data in one
    member raise NpzFormatError. Anything unreadable raises NpzFormatError or OSError.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise NpzFormatError(f"not a valid npz archive ({err})") from None
    with archive:
        try:
            infos = {info.filename: info for info in archive.infolist()}
        except (ValueError, EOFError) as err:  # pragma: no cover - infolist is already parsed
            raise NpzFormatError(f"corrupt archive index ({err})") from None
        names = {name[:-4] if name.endswith(".npy") else name: name for name in infos}
        missing = sorted(set(expected) - set(names))
        extra = sorted(set(names) - set(expected))
        if missing:
            raise NpzFormatError(f"missing array(s) {missing}")
        if extra:
            raise NpzFormatError(f"unexpected array(s) {extra}; expected only {sorted(expected)}")

        arrays: dict[str, np.ndarray] = {}
        for key, (dtype, check) in expected.items():
            info = infos[names[key]]
            if info.file_size > max_bytes + 10_000:
                raise NpzFormatError(f"{key}: {info.file_size} bytes is larger than the limit")
            try:
                with archive.open(info) as handle:
                    shape, fortran, found_dtype = _read_header(handle, key)
                    if found_dtype.hasobject:
                        raise NpzFormatError(f"{key}: holds Python objects; only numeric arrays are allowed")
                    if found_dtype != dtype:
                        raise NpzFormatError(f"{key}: dtype is {found_dtype}, expected {dtype}")
                    problem = check(shape)
                    if problem:
                        raise NpzFormatError(f"{key}: {problem}")
                    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
                    if nbytes > max_bytes:
                        raise NpzFormatError(f"{key}: shape {shape} is too large")
                    flat = np.empty(nbytes // dtype.itemsize, dtype=dtype)
                    got = _read_into(handle, memoryview(flat).cast("B"))
                    trailing = handle.read(1)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as err:
                raise NpzFormatError(f"{key}: corrupt data ({err})") from None
            if got != nbytes or trailing:
                raise NpzFormatError(f"{key}: data does not match its header's size {nbytes} bytes (truncated or padded)")
            array = flat.reshape(shape, order="F" if fortran else "C")
            arrays[key] = np.ascontiguousarray(array)
        return arrays


def _read_into(handle: io.BufferedIOBase, buffer: memoryview) -> int:
    """Fill ``buffer`` from ``handle``; return the number of bytes read (short at end of data)."""
    filled = 0
    while filled < len(buffer):
        count = handle.readinto(buffer[filled:])
        if not count:
            break
        filled += count
    return filled


def save_npz(handle: io.BufferedIOBase, arrays: Mapping[str, np.ndarray]) -> None:
    """Write arrays as an uncompressed npz to an open binary handle."""
    np.savez(handle, **{name: np.ascontiguousarray(a) for name, a in arrays.items()})
