"""Where a render's frames come from: a trained subject (the tri-plane attention NeRF) or the proxy mesh.

``--subject`` picks: ``demo`` (the bundled subject), a folder from ``realtalk train subject``, or ``proxy``
(a shaded mesh drawn from the Take's landmarks, no model). Without it, the subject the Take names is used,
and Takes made for the canonical face (``realtalk generate`` with the demo identity, ``realtalk synth``)
render with the bundled demo subject. A subject that does not fit the Take (another landmark topology or
blendshape set, or another checkpoint than the Take was bound to) is refused with what differs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np

from realtalk_core.schema import ARKIT_BLENDSHAPE_NAMES, LANDMARK_TOPOLOGY, Take
from realtalk_core.schema.errors import RealtalkError

from .backgrounds import Background, composite
from .errors import RenderError

PROXY = "proxy"
DEMO = "demo"
#: Subject names in Takes made for MediaPipe's canonical face, which the bundled demo subject renders.
CANONICAL_NAMES = ("demo", "canonical", "synthetic-canonical")
DEFAULT_PROXY_BACKGROUND = "color:#22252b"

RenderBatch = Callable[[list[int]], list[np.ndarray]]


@dataclass
class FrameSource:
    """A ready renderer: ``render(numbers)`` returns the finished frames (RGB, or RGBA when transparent)."""

    render: RenderBatch
    identity: dict[str, Any]     #: what the frames depend on; resume refuses to mix different identities
    settings: dict[str, Any]     #: other resolved settings, for render.json
    batch: int                   #: frames per model call
    width: int
    height: int


def subject_spec(job_subject: str | None, take: Take, take_dir: Path) -> str:
    """The --subject to use: the one asked for, else the Take's, else the demo subject."""
    if job_subject:
        return job_subject
    name = take.subject.name if take.subject is not None else None
    if not name or name in CANONICAL_NAMES:
        return DEMO
    if (Path(name) / "subject.pt").is_file():
        return name
    raise RenderError(f"{take_dir}: made for subject {name!r}, and no subject of that name is here; pass "
                      "--subject DIR (a folder from `realtalk train subject`), --subject demo or --subject proxy")


def build_source(job, take: Take) -> FrameSource:
    """The frame source for ``job`` (a :class:`job.RenderJob`)."""
    spec = subject_spec(job.subject, take, job.take)
    background = Background.parse(job.background or (DEFAULT_PROXY_BACKGROUND if spec == PROXY else "plate"))
    if spec == PROXY:
        return _proxy_source(job, take, background)
    return _subject_source(job, take, spec, background)


def _proxy_source(job, take: Take, background: Background) -> FrameSource:
    from realtalk_core.assets.canonical_mesh import load_canonical_mesh
    from realtalk_core.assets.store import FACE_LANDMARKER, require

    from .proxy import ProxyRenderConfig, ProxyRenderer

    if background.kind != "color":
        raise RenderError(f"--background {background.text}: the proxy renderer draws over a colour only; use "
                          "color:#RRGGBB, or render with a subject (--subject demo)")
    if job.paste_back:
        raise RenderError("--paste-back: the proxy renderer has no original framing; render with a subject")
    config = replace(ProxyRenderConfig(), size=job.size, background=background.color)
    renderer = ProxyRenderer(load_canonical_mesh(require(FACE_LANDMARKER, job.assets)), config)
    tracks = take.tracks

    def render(numbers: list[int]) -> list[np.ndarray]:
        return [renderer.render(tracks.landmarks[n - take.frame_start], tracks.head_pose[n - take.frame_start])
                for n in numbers]

    identity = {"renderer": PROXY, "size": job.size, "background": background.text}
    return FrameSource(render, identity, {"proxy": config.to_json()}, 1, job.size, job.size)


def load_subject(spec: str, device: str):
    from realtalk_core.render.subject import Subject, subject_dir

    if device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise RenderError("--device cuda: no CUDA device is available here; use --device cpu")
    return Subject.load(subject_dir(spec), device=device)


def check_fits(subject, take: Take, take_dir: Path, force: bool) -> None:
    """Refuse a subject trained on another topology or blendshape set, or not the one the Take is bound to."""
    topology = subject.meta.get("landmark_topology", LANDMARK_TOPOLOGY)
    if topology != LANDMARK_TOPOLOGY:
        raise RenderError(f"{subject.root}: subject trained on landmark topology {topology!r}, the Take "
                          f"{take_dir} has {LANDMARK_TOPOLOGY!r}; retrain the subject with this realtalk")
    names = list(subject.meta.get("blendshape_names", ARKIT_BLENDSHAPE_NAMES))
    if names != list(ARKIT_BLENDSHAPE_NAMES):
        differ = sorted(set(names) ^ set(ARKIT_BLENDSHAPE_NAMES)) or ["their order"]
        raise RenderError(f"{subject.root}: subject's blendshapes differ from the Take {take_dir}'s ARKit-52 "
                          f"set ({', '.join(differ[:4])}); retrain the subject with this realtalk")
    bound = take.subject.sha256 if take.subject is not None else None
    if bound and bound != subject.sha256 and not force:
        raise RenderError(f"{take_dir}: bound to subject sha256 {bound[:12]}, but {subject.root} is "
                          f"{subject.sha256[:12]}; pass the subject it was made for, or --force")


def _subject_source(job, take: Take, spec: str, background: Background) -> FrameSource:
    from realtalk_core.render.condition import smooth_over_time

    try:
        subject = load_subject(spec, job.device)
    except RenderError:
        raise
    except RealtalkError as err:
        where = "" if job.subject else f"{job.take}: made for subject {spec!r}: "
        raise RenderError(f"{where}{err}") from None
    check_fits(subject, take, job.take, job.force)
    subject.check_size(job.size)
    tracks = take.tracks
    kernel = subject.model.config.condition.smoothing
    # Smoothed once over the whole Take, as in training; a frame is then the same alone, in a range or a shard.
    landmarks = smooth_over_time(np.asarray(tracks.landmarks, np.float32), kernel)
    blendshapes = smooth_over_time(np.asarray(tracks.blendshapes, np.float32), kernel)
    poses = np.asarray(tracks.head_pose, np.float32)
    finish, width, height = _compositor(job, subject, background)

    def render(numbers: list[int]) -> list[np.ndarray]:
        index = np.asarray(numbers) - take.frame_start
        rgba = subject.render(landmarks[index], blendshapes[index], poses[index], job.size, smooth=False)
        return [finish(frame) for frame in rgba]

    identity = {"renderer": "subject", "subject_sha256": subject.sha256, "size": job.size,
                "background": background.text, "paste_back": bool(job.paste_back)}
    settings = {"subject": str(subject.root), "device": job.device, "width": width, "height": height}
    batch = 1 if job.device == "cpu" else 4
    return FrameSource(render, identity, settings, batch, width, height)


def _compositor(job, subject, background: Background) -> tuple[Callable[[np.ndarray], np.ndarray], int, int]:
    """RGBA crop -> the written frame, and that frame's width and height."""
    if not job.paste_back:
        backdrop = background.backdrop(job.size, job.size, subject.background(job.size))
        return (lambda rgba: composite(rgba, backdrop)), job.size, job.size
    from .paste_back import paste_back, paste_back_size

    loaded = subject.load_framing()
    if loaded is None:
        raise RenderError(f"--paste-back: {subject.root} has no original framing (framing.json); retrain or "
                          "re-export the subject with this realtalk")
    framing, source_plate = loaded
    width, height = paste_back_size(framing, 1.0)
    backdrop = background.backdrop(width, height, source_plate)
    return (lambda rgba: paste_back(rgba, framing, backdrop)), width, height
