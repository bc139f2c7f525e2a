"""A subject's framing: where its crop sat in the source video (framing.json + source_plate.png)."""

from __future__ import annotations

import json
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import cv2
import numpy as np
import pytest

from realtalk_core.process.dataset import FORMAT, MANIFEST, TRACK_ARRAYS, TRACKS, VERSION, load_dataset
from realtalk_core.render.framing import (FRAMING_FILE, SOURCE_PLATE_FILE, Framing, FramingError,
                                          framing_from_dataset, load_framing, save_framing)
from realtalk_core.render.subject import DEMO, subject_dir
from realtalk_core.schema.errors import RealtalkError
from realtalk_core.schema.fileio import sha256_file

ROOT = Path(__file__).resolve().parents[3]


def _plate(height: int = 50, width: int = 80) -> np.ndarray:
    yy, xx = np.mgrid[0:height, 0:width]
    return np.stack([xx * 3, yy * 5, xx + yy], axis=-1).astype(np.uint8)


def _write_dataset(root: Path, boxes: np.ndarray, plate: np.ndarray, scale: float, source: dict) -> Path:
    """A minimal dataset folder that ``load_dataset`` accepts: manifest, tracks.npz and background.png."""
    root.mkdir(parents=True)
    frames = len(boxes)
    tracks = {name: np.zeros((frames, *tail), dtype) for name, (dtype, tail) in TRACK_ARRAYS.items()}
    tracks["crop_boxes"] = boxes.astype(np.float32)
    tracks["valid"][:] = True
    np.savez(root / TRACKS, **tracks)
    cv2.imwrite(str(root / "background.png"), plate[:, :, ::-1])
    manifest = {"format": FORMAT, "version": VERSION, "frames": frames, "fps": 25.0, "size": 64, "has_audio": False,
                "source": source, "background": {"file": "background.png", "scale": scale},
                "split": {"train": [[0, frames - 1]], "val": [[frames - 1, frames]]},
                "files": {TRACKS: sha256_file(root / TRACKS)}}
    (root / MANIFEST).write_text(json.dumps(manifest))
    return root


def test_save_then_load_round_trips_the_framing_and_the_plate(tmp_path):
    framing = Framing(1920, 1080, (612.25, -14.5, 700.0), 0.5)
    plate = _plate(540 // 10, 960 // 10)
    save_framing(tmp_path, framing, plate)
    loaded, loaded_plate = load_framing(tmp_path)
    assert loaded == framing
    assert loaded_plate.dtype == np.uint8 and np.array_equal(loaded_plate, plate)
    assert not list(tmp_path.glob(".*.tmp"))                   # atomic writes leave no temporary files


def test_a_subject_without_framing_json_has_no_framing(tmp_path):
    assert load_framing(tmp_path) is None


@pytest.mark.parametrize("text", ["{not json", '{"format": "realtalk-framing", "version": 1}', "[]",
                                  ('{"format": "realtalk-framing", "version": 1, "source_width": 10, '
                                   '"source_height": 10, "box": [0, 0, NaN], "plate_scale": 1}'),
                                  '{"format": "realtalk-framing", "version": 9}'])
def test_a_corrupt_framing_json_is_one_line_naming_it(tmp_path, text):
    save_framing(tmp_path, Framing(10, 10, (0.0, 0.0, 10.0)), _plate(10, 10))
    (tmp_path / FRAMING_FILE).write_text(text)
    with pytest.raises(RealtalkError) as caught:
        load_framing(tmp_path)
    message = str(caught.value)
    assert isinstance(caught.value, FramingError) and "\n" not in message
    assert str(tmp_path / FRAMING_FILE) in message and "retrain" in message


def test_a_missing_source_plate_is_one_line_naming_it(tmp_path):
    save_framing(tmp_path, Framing(10, 10, (0.0, 0.0, 10.0)), _plate(10, 10))
    (tmp_path / SOURCE_PLATE_FILE).write_bytes(b"not a png")
    with pytest.raises(FramingError, match=SOURCE_PLATE_FILE):
        load_framing(tmp_path)


@pytest.mark.parametrize("field, value", [("source_width", 0), ("source_height", 2.5), ("source_width", True),
                                          ("box", [0, 0, -1]), ("box", [0, 0]), ("plate_scale", 0)])
def test_invalid_fields_are_refused(field, value):
    data = Framing(10, 10, (0.0, 0.0, 10.0)).to_json()
    data[field] = value
    with pytest.raises(FramingError, match=f"framing.json: .*{field.split('_')[0]}"):
        Framing.from_json(data)


def test_framing_from_a_dataset_is_the_median_training_box_and_the_full_plate(tmp_path):
    boxes = np.array([[10, 20, 100], [12, 18, 104], [11, 25, 98], [300, 300, 10], [14, 22, 102]], np.float32)
    plate = _plate(60, 96)                                      # 0.5 x a 192 x 120 source
    root = _write_dataset(tmp_path / "data", boxes, plate, 0.5, {"width": 192, "height": 120})
    dataset = load_dataset(root)
    framing, full = framing_from_dataset(dataset, np.array([0, 1, 2, 4]))   # the outlier (3) is not trained on
    assert framing == Framing(192, 120, (11.5, 21.0, 101.0), 0.5)
    assert np.array_equal(full, plate)


def test_a_synthetic_dataset_takes_its_source_size_from_the_plate(tmp_path):
    boxes = np.tile(np.array([[0.0, 0.0, 64.0]], np.float32), (4, 1))
    root = _write_dataset(tmp_path / "syn", boxes, _plate(64, 64), 1.0, {"kind": "synthetic"})
    framing, _ = framing_from_dataset(load_dataset(root), np.zeros(0, np.int64))   # no indices: every frame
    assert framing == Framing(64, 64, (0.0, 0.0, 64.0), 1.0)


def test_the_demo_subject_ships_its_framing():
    folder = subject_dir(DEMO)
    framing, plate = load_framing(folder)
    assert framing == Framing(256, 256, (0.0, 0.0, 256.0), 1.0)
    assert plate.shape == (256, 256, 3)
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for name in (FRAMING_FILE, SOURCE_PLATE_FILE):
        assert any(fnmatch(f"demo_subject/{name}", g) for g in globs["realtalk_core.weights"]), name


def test_training_exports_the_datasets_framing(trained_subject, tiny_subject_dataset):
    dataset = load_dataset(tiny_subject_dataset)
    framing, plate = load_framing(trained_subject)
    size = dataset.manifest["size"]
    assert framing == Framing(size, size, (0.0, 0.0, float(size)), 1.0)
    assert np.array_equal(plate, dataset.plate)
