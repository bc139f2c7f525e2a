"""Fuzzing the Take loader: whatever the bytes, it raises TakeError or loads; nothing else, no hang."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from realtalk_core.schema import TAKE_JSON, TRACKS_NPZ, TakeError, load_take, sha256_file


@pytest.fixture(scope="module")
def template(tmp_path_factory, canonical_landmarks) -> Path:
    """One valid Take (built once), copied for each example."""
    from realtalk_core.schema import Take, Tracks, save_take
    folder = tmp_path_factory.mktemp("fuzz") / "template"
    save_take(Take(fps=25.0, tracks=Tracks.neutral(4, canonical_landmarks)), folder)
    return folder


def _fresh(template: Path, tmp: Path) -> Path:
    target = tmp / "take"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template, target)
    return target


def _rehash(folder: Path) -> None:
    header = json.loads((folder / TAKE_JSON).read_text())
    header["tracks_sha256"] = sha256_file(folder / TRACKS_NPZ)
    (folder / TAKE_JSON).write_text(json.dumps(header))


def _load_only_take_errors(folder: Path) -> None:
    try:
        load_take(folder)
    except TakeError as err:
        assert "\n" not in str(err) and str(folder) in str(err)


@given(data=st.data())
def test_mutated_npz_bytes(template, tmp_path_factory, data):
    folder = _fresh(template, tmp_path_factory.mktemp("m"))
    raw = bytearray((folder / TRACKS_NPZ).read_bytes())
    action = data.draw(st.sampled_from(["truncate", "flip", "splice"]))
    if action == "truncate":
        raw = raw[:data.draw(st.integers(0, len(raw) - 1))]
    elif action == "flip":
        for _ in range(data.draw(st.integers(1, 8))):
            pos = data.draw(st.integers(0, len(raw) - 1))
            raw[pos] = data.draw(st.integers(0, 255))
    else:
        pos = data.draw(st.integers(0, len(raw)))
        raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=64))
    (folder / TRACKS_NPZ).write_bytes(bytes(raw))
    _rehash(folder)  # get past the hash check so the npz parser itself is exercised
    _load_only_take_errors(folder)


DTYPES = st.sampled_from(["<f4", "<f8", "<f2", "<i4", "|u1", "|b1", "<c8"])


@given(data=st.data())
def test_arrays_of_any_dtype_and_shape(template, tmp_path_factory, data):
    folder = _fresh(template, tmp_path_factory.mktemp("a"))
    names = ["landmarks", "blendshapes", "emotion", "head_pose", "extra"]
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=0, max_size=5, unique=True))
    arrays = {}
    for name in chosen:
        shape = tuple(data.draw(st.lists(st.integers(0, 6), min_size=0, max_size=3)))
        value = data.draw(st.sampled_from([0.0, 0.5, np.nan, np.inf, -1.0, 2.0]))
        with np.errstate(invalid="ignore"):  # NaN -> int casts are part of the garbage we want
            arrays[name] = np.full(shape, value).astype(data.draw(DTYPES))
    with open(folder / TRACKS_NPZ, "wb") as handle:
        np.savez(handle, **arrays)
    _rehash(folder)
    _load_only_take_errors(folder)


def _npy_with_header(shape_text: str, descr: str = "<f4") -> bytes:
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape_text}, }}"
    header = header.ljust(118) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode("latin1") + b"\0" * 64


@pytest.mark.parametrize("shape_text", ["(10**12, 478, 3)", "(4000000000, 478, 3)", "(4, 478, 3)",
                                        "(-1, 478, 3)", "('a',)", "(4, 478, 3, 1, 1, 1, 1)"])
def test_absurd_npy_headers_are_refused_without_allocating(template, tmp_path, shape_text):
    folder = _fresh(template, tmp_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        with np.load(template / TRACKS_NPZ, allow_pickle=False) as good:
            for name in ("blendshapes", "emotion", "head_pose"):
                arr = io.BytesIO()
                np.save(arr, good[name])
                archive.writestr(name + ".npy", arr.getvalue())
        archive.writestr("landmarks.npy", _npy_with_header(shape_text))
    (folder / TRACKS_NPZ).write_bytes(buffer.getvalue())
    _rehash(folder)
    with pytest.raises(TakeError, match="landmarks"):
        load_take(folder)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12)


@given(field=st.sampled_from(["schema_version", "fps", "frame_start", "frame_count", "audio", "subject",
                              "emotion_names", "blendshape_names", "landmark_topology", "coordinate_frame",
                              "provenance", "tracks_sha256", "unknown"]),
       value=JSON_VALUES, drop=st.booleans())
def test_any_json_value_in_any_field(template, tmp_path_factory, field, value, drop):
    folder = _fresh(template, tmp_path_factory.mktemp("j"))
    header = json.loads((folder / TAKE_JSON).read_text())
    if drop:
        header.pop(field, None)
    else:
        header[field] = value
    (folder / TAKE_JSON).write_text(json.dumps(header))
    _load_only_take_errors(folder)


@given(raw=st.binary(max_size=300))
def test_take_json_random_bytes(template, tmp_path_factory, raw):
    folder = _fresh(template, tmp_path_factory.mktemp("b"))
    (folder / TAKE_JSON).write_bytes(raw)
    with pytest.raises(TakeError):
        load_take(folder)


def test_deeply_nested_json_is_an_error_not_a_crash(template, tmp_path):
    folder = _fresh(template, tmp_path)
    (folder / TAKE_JSON).write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(TakeError, match="not valid JSON"):
        load_take(folder)
