"""Finding and following the face at the detect pass, small faces included.

MediaPipe's face detector looks at the whole image at 128x128, so a face filling less
than about a sixth of a wide frame is missed. The finder therefore:

* follows the chosen face in a region of interest (a square around where it was last
  seen, ``roi_scale`` times the face's size), where the face is always large;
* when the face is lost, or at the start, searches the full frame and then overlapping
  square tiles at two scales, taking the largest, most central face (or, once a face
  has been followed, the one nearest to where it was);
* every ``census_every`` frames it counts the faces in view (full frame and tiles), so
  clips with several people can be flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .crop import crop_frame
from .tracker import FaceObservation, FaceTracker, TrackerConfig, choose_face


@dataclass(frozen=True)
class FinderConfig:
    roi_scale: float = 2.6          #: region of interest side / the face's larger extent
    roi_size: int = 320             #: the region is resampled to this many pixels
    tile_scales: tuple[float, ...] = (0.55,)   #: tile side / the frame's short side (plus the whole frame)
    census_every: int = 75          #: frames between counts of the faces in view
    retry_every: int = 5            #: while no face is found, the tile search runs on every n-th frame


@dataclass(frozen=True)
class Found:
    """The followed face in frame pixels."""

    landmarks_px: np.ndarray        #: (478, 3) x, y in pixels, z on x's pixel scale
    box: np.ndarray                 #: (4,) x0, y0, x1, y1 pixels
    faces_seen: int


def tiles(width: int, height: int, scales: tuple[float, ...]) -> list[np.ndarray]:
    """Square (x0, y0, side) tiles covering the frame at each scale, overlapping by half."""
    out = [np.array([0.0, 0.0, float(max(width, height))])]            # the whole frame (letterboxed)
    for scale in scales:
        side = scale * min(width, height)
        for y in _positions(height, side):
            for x in _positions(width, side):
                out.append(np.array([x, y, side]))
    return out


def _positions(length: int, side: float) -> list[float]:
    if side >= length:
        return [0.0]
    count = int(np.ceil((length - side) / (side / 2))) + 1
    return list(np.linspace(0.0, length - side, count))


class FaceFinder:
    """The detect pass's face follower. Use as a context manager."""

    def __init__(self, task: Path, fps: float, tracker: TrackerConfig, config: FinderConfig | None = None) -> None:
        self.config = config or FinderConfig()
        self._follow = FaceTracker(task, fps, TrackerConfig(1, tracker.min_detection, tracker.min_presence,
                                                             tracker.min_tracking))
        self._search = FaceTracker(task, fps, tracker, video=False)
        self._roi: np.ndarray | None = None
        self._last_box: np.ndarray | None = None
        self._lost_for = 0
        self._faces_seen = 1

    def __enter__(self) -> "FaceFinder":
        return self

    def __exit__(self, *exc: object) -> None:
        self._follow.close()
        self._search.close()

    def find(self, rgb: np.ndarray, index: int) -> Found | None:
        height, width = rgb.shape[:2]
        found = None
        if self._roi is not None:
            face = self._follow.track(crop_frame(rgb, self._roi, self.config.roi_size), index)
            found = self._to_frame(face, self._roi) if face is not None else None
        census = index % self.config.census_every == 0
        if found is None and not census and self._lost_for % self.config.retry_every:
            found = self._whole_frame(rgb)                                 # cheap retry between tile searches
        if found is None or census:
            if found is not None or self._lost_for % self.config.retry_every == 0:
                candidates = self._all_faces(rgb)
                if census:
                    self._faces_seen = max(1, len(candidates)) if candidates else 0
                if found is None and candidates:
                    boxes = [c.box for c in candidates]
                    found = candidates[choose_face(boxes, width, height, self._last_box)]
        if found is None:
            self._roi = None
            self._lost_for += 1
            return None
        self._lost_for = 0
        self._last_box = found.box
        self._roi = self._roi_for(found.box, width, height)
        return Found(found.landmarks_px, found.box, max(self._faces_seen, found.faces_seen))

    def _to_frame(self, face: FaceObservation, box: np.ndarray) -> Found:
        x0, y0, side = (float(v) for v in box)
        points = face.landmarks.astype(np.float64) * side + np.array([x0, y0, 0.0])
        return Found(points, _box(points), 1)

    def _whole_frame(self, rgb: np.ndarray) -> Found | None:
        height, width = rgb.shape[:2]
        faces = self._search.detect_all(crop_frame(rgb, tiles(width, height, ())[0], self.config.roi_size))
        if not faces:
            return None
        found = [self._to_frame(face, tiles(width, height, ())[0]) for face in faces]
        return found[choose_face([f.box for f in found], width, height, self._last_box)]

    def _all_faces(self, rgb: np.ndarray) -> list[Found]:
        """Every distinct face in the full frame and the tiles (duplicates merged by overlap)."""
        height, width = rgb.shape[:2]
        found: list[Found] = []
        for tile in tiles(width, height, self.config.tile_scales):
            for face in self._search.detect_all(crop_frame(rgb, tile, self.config.roi_size)):
                candidate = self._to_frame(face, tile)
                if not any(_overlap(candidate.box, other.box) > 0.3 for other in found):
                    found.append(candidate)
        return [Found(f.landmarks_px, f.box, len(found)) for f in found]

    def _roi_for(self, box: np.ndarray, width: int, height: int) -> np.ndarray:
        side = self.config.roi_scale * max(box[2] - box[0], box[3] - box[1])
        centre = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
        return np.array([centre[0] - side / 2, centre[1] - side / 2, side])


def _box(points: np.ndarray) -> np.ndarray:
    return np.array([points[:, 0].min(), points[:, 1].min(), points[:, 0].max(), points[:, 1].max()])


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over the smaller box's area."""
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / max(smaller, 1e-9)
