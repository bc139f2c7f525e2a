"""The proxy renderer: a Take's landmarks as a shaded face mesh, one frame at a time.

It stands in for the photoreal subject renderer until trained subjects exist. Per frame:

    landmarks (478, 3) --head_pose--> camera space --> back-face cull --> sort far to near
    --> Lambert + ambient shading per triangle --> fill (painter's algorithm) at ``supersample`` x
    --> irises clipped to the visible eyeballs --> downsample (area filter) --> (S, S, 3) RGB

The mesh topology (MediaPipe's canonical mesh) and the face regions are fixed when the
renderer is built; each frame only moves the vertices.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import cv2
import numpy as np

from realtalk_core.assets.canonical_mesh import CanonicalMesh
from realtalk_core.schema import LANDMARK_GROUPS
from realtalk_core.schema.channels import NUM_MESH_VERTICES

from .camera import CameraConfig, pose_points
from .colors import RGB, linear_to_srgb, parse_hex, srgb_to_linear
from .eyes import IrisStyle, draw_iris
from .regions import EYE_IRIS_GROUPS, Region, triangle_regions
from .shading import LightConfig, face_normals, triangle_colours, vertex_light, vertex_normals

#: Sub-pixel bits of the fixed-point coordinates handed to OpenCV's polygon fill.
SUBPIXEL_BITS = 4
#: Bound on fixed-point coordinates, far outside any image and inside int32.
FIXED_LIMIT = float(1 << 28)
MIN_SIZE, MAX_SIZE = 16, 4096


@dataclass(frozen=True)
class ProxyPalette:
    """Base colours (sRGB ``#RRGGBB``) of the face regions, before lighting."""

    skin: str = "#e0ac8e"       #: warm, light skin
    lips: str = "#b05a5c"
    mouth: str = "#2e1014"      #: the mouth opening
    sclera: str = "#f0ebe4"     #: the white of the eye (kept slightly warm)
    brow: str = "#4e3629"
    iris: str = "#6b4a33"
    pupil: str = "#100a08"
    limbus: str = "#3a281c"     #: the dark ring round the iris

    def albedo(self) -> np.ndarray:
        """(len(Region), 3) linear albedo, indexed by Region value."""
        by_region = {Region.SKIN: self.skin, Region.LIPS: self.lips, Region.MOUTH: self.mouth,
                     Region.EYE_RIGHT: self.sclera, Region.EYE_LEFT: self.sclera, Region.BROW: self.brow}
        table = np.array([parse_hex(by_region[region]) for region in Region], np.float32)
        return srgb_to_linear(table)

    def iris_style(self) -> IrisStyle:
        return IrisStyle(iris=parse_hex(self.iris), pupil=parse_hex(self.pupil), limbus=parse_hex(self.limbus))


@dataclass(frozen=True)
class ProxyRenderConfig:
    """Everything that decides how a proxy frame looks."""

    #: output width and height in pixels (square frames)
    size: int = 512
    #: render at this multiple of ``size`` and downsample with an area filter (antialiasing)
    supersample: int = 2
    #: background colour, sRGB (r, g, b)
    background: RGB = (34, 37, 43)
    camera: CameraConfig = field(default_factory=CameraConfig)
    light: LightConfig = field(default_factory=LightConfig)
    palette: ProxyPalette = field(default_factory=ProxyPalette)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class ProxyRenderer:
    """Renders (478, 3) head-space landmarks and a (4, 4) head pose to an (S, S, 3) uint8 RGB image."""

    def __init__(self, mesh: CanonicalMesh, config: ProxyRenderConfig | None = None) -> None:
        self.config = config = config or ProxyRenderConfig()
        if not MIN_SIZE <= config.size <= MAX_SIZE:
            raise ValueError(f"size must be in {MIN_SIZE}..{MAX_SIZE}, got {config.size}")
        if not 1 <= config.supersample <= 4:
            raise ValueError(f"supersample must be 1..4, got {config.supersample}")
        self.triangles = np.ascontiguousarray(mesh.triangles, np.int64)  # (F, 3)
        self.regions = triangle_regions(mesh)                              # (F,) uint8 Region
        self.albedo = config.palette.albedo()[self.regions]                # (F, 3) linear
        self.iris_style = config.palette.iris_style()
        side = config.size * config.supersample
        self.camera = config.camera.build(side, side)
        self.background = tuple(int(c) for c in config.background)

    def render(self, landmarks: np.ndarray, head_pose: np.ndarray) -> np.ndarray:
        """(478, 3) landmarks in head space, (4, 4) head->camera pose -> (S, S, 3) uint8 RGB."""
        points = pose_points(landmarks, head_pose)                         # (478, 3) camera space
        canvas, labels = self._rasterize(points[:NUM_MESH_VERTICES])
        for region, group in EYE_IRIS_GROUPS:
            iris = points[list(LANDMARK_GROUPS[group])]                    # (5, 3): centre, 4 rim
            draw_iris(canvas, labels == region, self.camera, iris[0], iris[1:], self.iris_style,
                      SUBPIXEL_BITS)
        if self.config.supersample == 1:
            return canvas
        size = self.config.size
        return cv2.resize(canvas, (size, size), interpolation=cv2.INTER_AREA)

    def _rasterize(self, vertices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(V, 3) camera-space mesh vertices -> canvas (H, W, 3) uint8 RGB and labels (H, W) uint8 Region."""
        corners = vertices[self.triangles]                                 # (F, 3, 3)
        normals = face_normals(corners)                                    # (F, 3)
        centroids = corners.mean(axis=1)                                   # (F, 3)
        in_front = (corners[:, :, 2] < -self.config.camera.near).all(axis=1)
        facing = np.sum(normals * -centroids, axis=1) > 0.0                # towards the camera at the origin
        visible = np.flatnonzero(in_front & facing)
        order = visible[np.argsort(centroids[visible, 2], kind="stable")]  # far (most negative z) first

        diffuse, specular = vertex_light(vertices, vertex_normals(self.triangles, normals, len(vertices)),
                                         self.config.light)
        linear = triangle_colours(self.albedo, self.triangles, diffuse, specular)     # (F, 3)
        colours = np.rint(linear_to_srgb(linear)).astype(np.int32).tolist()          # F x [r, g, b]
        pixels = self.camera.project(vertices) - 0.5                       # (V, 2), pixel centres at .5
        # vertices behind the camera project far away; clip so the cast stays in range (their triangles are culled)
        fixed = np.rint(np.clip(pixels * (1 << SUBPIXEL_BITS), -FIXED_LIMIT, FIXED_LIMIT)).astype(np.int32)
        polygons = np.ascontiguousarray(fixed[self.triangles])             # (F, 3, 2) int32

        side = self.camera.height
        canvas = np.empty((side, side, 3), np.uint8)
        canvas[:] = self.background
        labels = np.zeros((side, side), np.uint8)
        regions = self.regions.tolist()
        for index in order.tolist():
            cv2.fillConvexPoly(canvas, polygons[index], colours[index], cv2.LINE_8, SUBPIXEL_BITS)
            cv2.fillConvexPoly(labels, polygons[index], regions[index], cv2.LINE_8, SUBPIXEL_BITS)
        return canvas, labels
