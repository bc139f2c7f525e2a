"""MediaPipe FaceLandmarker in video mode, following one face through a clip.

Per frame it gives the chosen face's 478 landmarks (MediaPipe's normalised image
coordinates: x, y in [0, 1] of the image, z on x's scale, smaller = nearer), its 52
blendshape scores mapped by name into the ARKit order, and MediaPipe's facial
transformation matrix (canonical face -> camera, centimetres).

With several faces in view it keeps the one chosen first: the largest, most central face,
then always the face nearest to where the chosen face was last seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..schema.channels import ARKIT_BLENDSHAPE_NAMES, NUM_LANDMARKS

#: MediaPipe has no tongue channel: this one stays 0 in every dataset.
UNOBSERVED_BLENDSHAPES = ("tongueOut",)
_ARKIT_INDEX = {name: i for i, name in enumerate(ARKIT_BLENDSHAPE_NAMES)}


@dataclass(frozen=True)
class TrackerConfig:
    """How faces are detected and followed."""

    max_faces: int = 4                 #: faces detected per frame (so extra faces can be told apart)
    min_detection: float = 0.5         #: MediaPipe's face detection confidence threshold
    min_presence: float = 0.5          #: MediaPipe's face presence threshold
    min_tracking: float = 0.5          #: MediaPipe's tracking confidence threshold


@dataclass(frozen=True)
class FaceObservation:
    """The chosen face in one frame."""

    landmarks: np.ndarray      #: (478, 3) float32, normalised image coordinates
    blendshapes: np.ndarray    #: (52,) float32, ARKit order
    transform: np.ndarray      #: (4, 4) float32, canonical face (cm) -> camera (cm)
    faces_seen: int            #: how many faces MediaPipe found in the frame


def face_box(landmarks: np.ndarray, width: int, height: int) -> np.ndarray:
    """(4,) x0, y0, x1, y1 in pixels of the landmarks' bounding box."""
    x, y = landmarks[:, 0] * width, landmarks[:, 1] * height
    return np.array([x.min(), y.min(), x.max(), y.max()], np.float64)


def choose_face(boxes: list[np.ndarray], width: int, height: int, previous: np.ndarray | None) -> int:
    """Index of the face to follow: nearest to ``previous`` if given, else the largest, most central."""
    centres = [np.array([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]) for b in boxes]
    if previous is not None:
        last = np.array([(previous[0] + previous[2]) / 2, (previous[1] + previous[3]) / 2])
        return int(np.argmin([np.linalg.norm(c - last) for c in centres]))
    diagonal = float(np.hypot(width, height))
    middle = np.array([width / 2, height / 2])
    scores = [(b[2] - b[0]) * (b[3] - b[1]) * (1.0 - np.linalg.norm(c - middle) / diagonal)
              for b, c in zip(boxes, centres)]
    return int(np.argmax(scores))


class FaceTracker:
    """A FaceLandmarker in VIDEO mode. Use as a context manager; frames must come in time order."""

    def __init__(self, task: Path, fps: float, config: TrackerConfig | None = None, video: bool = True) -> None:
        from mediapipe.tasks.python import BaseOptions, vision

        self.config = config = config or TrackerConfig()
        self.fps = fps
        self.video = video
        mode = vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE
        options = vision.FaceLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(task)), running_mode=mode,
            num_faces=config.max_faces, min_face_detection_confidence=config.min_detection,
            min_face_presence_confidence=config.min_presence, min_tracking_confidence=config.min_tracking,
            output_face_blendshapes=True, output_facial_transformation_matrixes=True)
        self._landmarker = vision.FaceLandmarker.create_from_options(options)
        self._last_box: np.ndarray | None = None

    def __enter__(self) -> "FaceTracker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._landmarker is not None:
            self._landmarker.close()
            self._landmarker = None

    def track(self, rgb: np.ndarray, frame_index: int) -> FaceObservation | None:
        """The chosen face in frame ``frame_index`` (its timestamp is index / fps), or None."""
        faces = self.detect_all(rgb, frame_index)
        if not faces:
            return None
        height, width = rgb.shape[:2]
        boxes = [face_box(face.landmarks, width, height) for face in faces]
        pick = choose_face(boxes, width, height, self._last_box)
        self._last_box = boxes[pick]
        return faces[pick]

    def detect_all(self, rgb: np.ndarray, frame_index: int = 0) -> list[FaceObservation]:
        """Every face MediaPipe finds in the image (up to ``max_faces``), in its order."""
        import mediapipe as mp

        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self.video:
            result = self._landmarker.detect_for_video(image, int(round(frame_index * 1000.0 / self.fps)))
        else:
            result = self._landmarker.detect(image)
        out = []
        for pick, face in enumerate(result.face_landmarks or []):
            points = np.array([(p.x, p.y, p.z) for p in face], np.float32)
            if points.shape == (NUM_LANDMARKS, 3):
                out.append(FaceObservation(landmarks=points, blendshapes=_arkit_scores(result.face_blendshapes, pick),
                                           transform=_matrix(result.facial_transformation_matrixes, pick),
                                           faces_seen=len(result.face_landmarks)))
        return out


def _arkit_scores(blendshapes: list, pick: int) -> np.ndarray:
    out = np.zeros(len(ARKIT_BLENDSHAPE_NAMES), np.float32)
    if pick < len(blendshapes or []):
        for category in blendshapes[pick]:
            index = _ARKIT_INDEX.get(category.category_name)
            if index is not None:
                out[index] = category.score
    return out


def _matrix(matrices: list, pick: int) -> np.ndarray:
    if pick < len(matrices or []):
        return np.asarray(matrices[pick], np.float32).reshape(4, 4)
    return np.eye(4, dtype=np.float32)
