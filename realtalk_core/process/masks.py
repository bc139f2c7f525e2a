"""Face and person masks, and the clean background plate.

* Face mask: the filled face-oval contour of the tracked landmarks.
* Person prior: head, neck and torso shapes laid out from the face (a generous region).
* Background plate: the per-pixel median, over sampled frames, of the pixels outside the
  person prior. Pixels the person never uncovers are filled by inpainting and flagged.
* Person mask (head, neck, torso): pixels inside the prior that differ from the plate,
  cleaned up and kept only where connected to the face; plus the face itself.

Masks are label images with named values (:data:`MASK_LABELS`).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..schema.channels import LANDMARK_GROUPS

#: Values in the mask PNGs.
MASK_LABELS = {"background": 0, "person": 1, "face": 2}


@dataclass(frozen=True)
class MaskConfig:
    """Shapes of the person prior (in face widths/heights) and the background-difference test."""

    head_width: float = 0.80        #: head ellipse semi-axis / face width
    head_height: float = 0.78       #: head ellipse semi-axis / face height
    head_raise: float = 0.12        #: head ellipse centre above the face centre / face height
    neck_width: float = 0.75        #: neck width / face width
    shoulder_width: float = 3.6     #: torso width below the shoulders / face width
    shoulder_drop: float = 0.25     #: where the shoulders start widening, below the chin / face height
    grow: float = 0.15              #: the prior is grown by this fraction of the face width
    threshold: float = 28.0         #: RGB distance (0..255) above which a pixel differs from the plate
    plate_samples: int = 40         #: frames sampled for the plate


def face_polygon(landmarks_px: np.ndarray) -> np.ndarray:
    """(K, 2) int32 face-oval contour in pixels, from (478, 2+) landmark pixels."""
    return np.round(landmarks_px[list(LANDMARK_GROUPS["face_oval"]), :2]).astype(np.int32)


def face_mask(landmarks_px: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """(H, W) bool: inside the face oval."""
    mask = np.zeros(shape, np.uint8)
    cv2.fillPoly(mask, [face_polygon(landmarks_px)], 1)
    return mask.astype(bool)


def person_prior(landmarks_px: np.ndarray, shape: tuple[int, int], config: MaskConfig) -> np.ndarray:
    """(H, W) bool: where the head, neck and torso can be, given this frame's landmarks."""
    height, width = shape
    oval = landmarks_px[list(LANDMARK_GROUPS["face_oval"]), :2]
    (x0, y0), (x1, y1) = oval.min(axis=0), oval.max(axis=0)
    face_w, face_h = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    grow = config.grow * face_w
    mask = np.zeros(shape, np.uint8)
    axes = (int(config.head_width * face_w + grow), int(config.head_height * face_h + grow))
    cv2.ellipse(mask, (int(cx), int(cy - config.head_raise * face_h)), axes, 0, 0, 360, 1, -1)
    neck_half = config.neck_width * face_w / 2 + grow
    chin = y1 - 0.1 * face_h
    shoulders = y1 + config.shoulder_drop * face_h
    torso_half = config.shoulder_width * face_w / 2 + grow
    torso = np.array([[cx - neck_half, chin], [cx + neck_half, chin], [cx + neck_half, shoulders],
                      [cx + torso_half, shoulders + 0.5 * face_h], [cx + torso_half, height + face_h],
                      [cx - torso_half, height + face_h], [cx - torso_half, shoulders + 0.5 * face_h],
                      [cx - neck_half, shoulders]])
    cv2.fillPoly(mask, [np.round(torso).astype(np.int32)], 1)
    return mask.astype(bool)


class PlateBuilder:
    """Collects sampled frames and their person priors; :meth:`build` gives the background plate."""

    def __init__(self, total_frames: int, config: MaskConfig) -> None:
        step = max(1, total_frames // max(1, config.plate_samples))
        self.wanted = set(range(0, total_frames, step))
        self.frames: list[np.ndarray] = []
        self.priors: list[np.ndarray] = []

    def offer(self, index: int, rgb: np.ndarray, prior: np.ndarray | None) -> None:
        """Keep frame ``index`` if it is a sample (``prior`` None: no face, the whole frame counts as person)."""
        if index in self.wanted:
            self.frames.append(rgb.copy())
            self.priors.append(np.ones(rgb.shape[:2], bool) if prior is None else prior)

    def build(self) -> tuple[np.ndarray, np.ndarray]:
        """(H, W, 3) uint8 plate and (H, W) bool 'seen' (False where the person always covered it).

        A masked median without NaNs: the hidden samples of each pixel are replaced by
        alternating 0 and 255, which leaves the median of the seen samples in place
        (exactly when the hidden count is even, within one rank when it is odd).
        """
        stack = np.stack(self.frames)                                           # (K, H, W, 3) uint8
        hidden = np.stack(self.priors)                                          # (K, H, W)
        seen = ~hidden.all(axis=0)
        order = np.cumsum(hidden, axis=0, dtype=np.uint8) % 2                   # alternate among hidden samples
        filler = np.where(order == 1, 0, 255).astype(np.uint8)
        stack = np.where(hidden[..., None], filler[..., None], stack)
        plate = np.median(stack, axis=0).round().astype(np.uint8)
        if not seen.all():
            plate = cv2.inpaint(plate, (~seen).astype(np.uint8), 5, cv2.INPAINT_TELEA)
        return plate, seen


def person_mask(rgb: np.ndarray, plate: np.ndarray, seen: np.ndarray, prior: np.ndarray, face: np.ndarray,
                config: MaskConfig) -> np.ndarray:
    """(H, W) bool: head, neck and torso, from the difference to the plate inside the prior.

    Worked out at half resolution (the plate and the prior are coarse anyway), then scaled up.
    """
    height, width = face.shape
    half = (width // 2, height // 2)
    small = [cv2.resize(image, half, interpolation=cv2.INTER_AREA) for image in (rgb, plate)]
    difference = cv2.absdiff(cv2.blur(small[0], (3, 3)), cv2.blur(small[1], (3, 3))).max(axis=2)
    unseen = cv2.resize((~seen).astype(np.uint8), half, interpolation=cv2.INTER_NEAREST)
    moving = (difference > config.threshold) | (unseen > 0)                    # unseen plate: trust the prior
    candidate = moving & (cv2.resize(prior.astype(np.uint8), half, interpolation=cv2.INTER_NEAREST) > 0)
    candidate = cv2.resize(candidate.astype(np.uint8), (width, height), interpolation=cv2.INTER_NEAREST)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    candidate = cv2.morphologyEx(candidate, cv2.MORPH_OPEN, kernel)
    candidate = cv2.morphologyEx(candidate, cv2.MORPH_CLOSE, kernel) | face.astype(np.uint8)
    count, labels = cv2.connectedComponents(candidate, connectivity=8)
    keep = np.unique(labels[face & (labels > 0)])
    mask = np.isin(labels, keep) if len(keep) else face.copy()
    filled = mask.astype(np.uint8)
    contours, _ = cv2.findContours(filled, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    cv2.drawContours(filled, contours, -1, 1, -1)                              # fill holes (eyes, mouth)
    return filled.astype(bool)


def label_image(person: np.ndarray, face: np.ndarray) -> np.ndarray:
    """(H, W) uint8 with MASK_LABELS values."""
    out = np.zeros(person.shape, np.uint8)
    out[person] = MASK_LABELS["person"]
    out[face] = MASK_LABELS["face"]
    return out
