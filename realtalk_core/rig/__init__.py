"""The geometric face rig: 478 landmarks <-> the 52 ARKit blendshapes, head pose, subject fit.

* :class:`FaceRig` (``face_rig.py``): ``landmarks = neutral + sum_i w_i delta_i``, with
  deltas built from MediaPipe's canonical face (``shapes_*.py``, ``jaw.py``), left shapes
  mirrored to the right (``symmetry.py``); ``rig.pose(w)`` applies jawOpen as a true rotation.
* :class:`BlendshapeSolver` (``solver.py``): landmarks -> weights in [0, 1], all frames at once.
* :func:`fit_rig` (``fit.py``): the rig moved onto one subject's neutral face.
* :func:`estimate_poses`, :func:`smooth_poses` (``pose.py``, ``smoothing.py``).
* :func:`observability` (``observability.py``): which channels landmarks can see.

Numpy only; the contact sheet (``figure.py``) needs matplotlib.
"""

from .face_rig import FaceRig, FaceRigConfig
from .fit import SubjectFit, fit_rig
from .observability import PROXY_CHANNELS, observability, unobservable
from .pose import RIGID_GROUP, apply_head_pose, estimate_poses, remove_head_pose
from .similarity import Similarity, align
from .smoothing import OneEuroConfig, PointSmootherConfig, PoseSmootherConfig, jitter, smooth_points, smooth_poses
from .solver import OPPOSING_PAIRS, BlendshapeSolver, SolverConfig
from .symmetry import mirror_map, mirror_points

__all__ = [
    "FaceRig", "FaceRigConfig", "SubjectFit", "fit_rig", "PROXY_CHANNELS", "observability", "unobservable",
    "RIGID_GROUP", "apply_head_pose", "estimate_poses", "remove_head_pose", "Similarity",
    "align", "OneEuroConfig", "PointSmootherConfig", "PoseSmootherConfig", "jitter", "smooth_points", "smooth_poses", "OPPOSING_PAIRS", "BlendshapeSolver",
    "SolverConfig", "mirror_map", "mirror_points",
]
