"""Where a subject's square crop sat in its source video, so a render can be pasted back into the full frame.

A subject folder may hold::

    framing.json        FRAMING_FORMAT: source-video size, the crop box (x0, y0, side in source pixels), plate scale
    source_plate.png    the full-frame background plate, stored at ``plate_scale`` times the source resolution

The box follows ``realtalk_core.process.crop.crop_matrix``'s convention: crop pixel ``c`` samples source
pixel ``x0 + c * side / size``. Subjects trained before framing existed have neither file (``load_framing``
returns None). numpy and OpenCV only: the renderer's front ends read this without torch.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..schema.errors import RealtalkError
from ..schema.fileio import atomic_write

FRAMING_FILE = "framing.json"
SOURCE_PLATE_FILE = "source_plate.png"
FRAMING_FORMAT = "realtalk-framing"
FRAMING_VERSION = 1
MAX_FRAMING_BYTES = 64 << 10
_RETRY = "copy the whole subject folder again or retrain it with `realtalk train subject`"


class FramingError(RealtalkError):
    """A subject's framing.json or source_plate.png is unreadable or invalid."""


@dataclass(frozen=True)
class Framing:
    """The crop a rendered frame fills, in the source video's pixels."""

    source_width: int                    #: source video width (pixels)
    source_height: int                   #: source video height (pixels)
    box: tuple[float, float, float]      #: x0, y0, side of the square crop (source pixels; may leave the frame)
    plate_scale: float = 1.0             #: source_plate.png's resolution / the source resolution

    def to_json(self) -> dict[str, Any]:
        return {"format": FRAMING_FORMAT, "version": FRAMING_VERSION, "source_width": self.source_width,
                "source_height": self.source_height, "box": [float(v) for v in self.box],
                "plate_scale": self.plate_scale}

    @staticmethod
    def from_json(data: Any, path: str | Path = FRAMING_FILE) -> Framing:
        """Validate parsed JSON; any problem is one FramingError line naming ``path``."""
        def bad(problem: str) -> FramingError:
            return FramingError(f"{path}: {problem}; {_RETRY}")

        if not isinstance(data, dict) or data.get("format") != FRAMING_FORMAT:
            raise bad(f"not a {FRAMING_FORMAT} file")
        if data.get("version") != FRAMING_VERSION:
            raise bad(f"framing version {data.get('version')!r}, this realtalk reads version {FRAMING_VERSION}")
        sizes = [data.get("source_width"), data.get("source_height")]
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in sizes):
            raise bad("source_width and source_height must be positive integers")
        box, scale = data.get("box"), data.get("plate_scale")
        if not (isinstance(box, list) and len(box) == 3 and all(_is_finite(v) for v in box) and box[2] > 0):
            raise bad("box must be three finite numbers x0, y0, side with side > 0")
        if not (_is_finite(scale) and scale > 0):
            raise bad("plate_scale must be a finite number > 0")
        return Framing(sizes[0], sizes[1], (float(box[0]), float(box[1]), float(box[2])), float(scale))


def _is_finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def framing_from_dataset(dataset, indices: np.ndarray) -> tuple[Framing, np.ndarray]:
    """The median crop box over ``indices`` (all frames when empty) and the dataset's full-frame plate.

    ``dataset`` is a ``realtalk_core.process.dataset.Dataset`` (or anything with its ``manifest``, ``tracks``
    and ``plate``). The source size comes from the manifest's ``source``; synthetic datasets, which have no
    video, take it from the plate's shape and scale.
    """
    boxes = np.asarray(dataset.tracks["crop_boxes"], np.float64)        # (T, 3) x0, y0, side
    indices = np.asarray(indices, np.int64)
    box = np.median(boxes[indices] if len(indices) else boxes, axis=0)
    plate = np.asarray(dataset.plate)                                    # (H, W, 3) uint8 RGB at plate_scale
    scale = float(dataset.manifest["background"]["scale"])
    source = dataset.manifest.get("source", {})
    width, height = source.get("width"), source.get("height")
    if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
        width, height = round(plate.shape[1] / scale), round(plate.shape[0] / scale)
    if not (np.isfinite(box).all() and box[2] > 0 and math.isfinite(scale) and scale > 0):
        raise FramingError(f"{Path(dataset.root) / 'dataset.json'}: crop boxes or plate scale unusable for framing "
                           f"(median box {box.tolist()}, scale {scale}); re-run `realtalk process`")
    framing = Framing(int(width), int(height), (float(box[0]), float(box[1]), float(box[2])), scale)
    return framing, plate


def save_framing(subject_dir: str | Path, framing: Framing, plate: np.ndarray) -> None:
    """Write framing.json and source_plate.png (``plate`` (H, W, 3) uint8 RGB) atomically into ``subject_dir``."""
    subject_dir = Path(subject_dir)
    ok, encoded = cv2.imencode(".png", np.ascontiguousarray(np.asarray(plate, np.uint8)[:, :, ::-1]))
    if not ok:
        raise OSError(f"could not encode {subject_dir / SOURCE_PLATE_FILE}")
    with atomic_write(subject_dir / SOURCE_PLATE_FILE) as handle:
        handle.write(encoded.tobytes())
    with atomic_write(subject_dir / FRAMING_FILE, "w") as handle:      # written last: it announces the plate
        handle.write(json.dumps(framing.to_json(), indent=1))


def load_framing(subject_dir: str | Path) -> tuple[Framing, np.ndarray] | None:
    """(framing, (H, W, 3) uint8 RGB source plate), or None for a subject saved without framing."""
    subject_dir = Path(subject_dir)
    path = subject_dir / FRAMING_FILE
    if not path.exists():
        return None
    try:
        if path.stat().st_size > MAX_FRAMING_BYTES:
            raise FramingError(f"{path}: larger than {MAX_FRAMING_BYTES >> 10} KiB; not a framing file; {_RETRY}")
        data = json.loads(path.read_text("utf-8"), parse_constant=_no_constants)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        first = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise FramingError(f"{path}: unreadable ({first}); {_RETRY}") from None
    framing = Framing.from_json(data, path)
    plate_path = subject_dir / SOURCE_PLATE_FILE
    plate = cv2.imread(str(plate_path), cv2.IMREAD_COLOR)
    if plate is None:
        raise FramingError(f"{plate_path}: missing or unreadable source plate; {_RETRY}")
    return framing, np.ascontiguousarray(plate[:, :, ::-1])


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")
