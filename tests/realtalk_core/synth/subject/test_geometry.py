"""The subject's numpy side: head mesh, jaw, eyes, camera and job files (no bpy)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from realtalk_core.assets.canonical_mesh import load_canonical_mesh
from realtalk_core.rig.face_rig import FaceRig
from realtalk_core.schema.channels import NUM_MESH_VERTICES
from realtalk_core.synth.subject.camera import SubjectCameraConfig, landmarks_image, project
from realtalk_core.synth.subject.eyes import EyeConfig, build_eyes, eye_matrix
from realtalk_core.synth.subject.head_mesh import HeadMaterial, HeadMesh
from realtalk_core.synth.subject.job import RenderJob, SubjectRenderError, check_sequence, load_job, write_job
from realtalk_core.synth.subject.mouth import jaw_matrix
from realtalk_core.synth.subject.scene_config import SubjectSceneConfig
from realtalk_core.synth.subject.topology import boundary_loops


@pytest.fixture(scope="module")
def mesh(task_path):
    return load_canonical_mesh(task_path)


@pytest.fixture(scope="module")
def rig(mesh) -> FaceRig:
    return FaceRig.build(mesh)


@pytest.fixture(scope="module")
def head(rig, mesh) -> HeadMesh:
    return HeadMesh.build(rig, mesh.uv)


def test_head_mesh_is_closed_and_has_every_part(head):
    assert boundary_loops(head.triangles) == []
    assert set(np.unique(head.material)) == set(HeadMaterial)


def test_face_vertices_are_the_posed_landmarks(head, rig):
    weights = rig.weights({"jawOpen": 0.8, "mouthSmileLeft": 0.5, "eyeBlinkRight": 1.0})
    posed = rig.pose(weights)
    vertices = head.positions(posed)
    np.testing.assert_array_equal(vertices[:NUM_MESH_VERTICES], posed[:NUM_MESH_VERTICES])
    # The mouth cavity (the last pocket; its centre is the last vertex) drops with the jaw.
    closed = head.positions(rig.pose(rig.weights()))
    assert vertices[-1, 1] < closed[-1, 1] - 0.003


def test_jaw_transform_is_the_rigs_hinge(rig):
    weights = rig.weights({"jawOpen": 0.7})
    matrix = jaw_matrix(rig, weights)
    chin = int(np.argmax(rig.hinge.mask))               # a landmark that follows the mandible fully
    point = rig.neutral[chin]
    moved = matrix[:3, :3] @ point + matrix[:3, 3]
    expected = point + rig.hinge.rotate(rig.neutral, np.array([0.7]))[0, chin] / rig.hinge.mask[chin]
    np.testing.assert_allclose(moved, expected, atol=1e-9)


def test_eyes_look_at_the_iris_landmarks(rig):
    posed = rig.pose(rig.weights({"eyeLookOutLeft": 0.8}))
    for eye in build_eyes(rig, EyeConfig()):
        gaze = eye_matrix(eye, posed)[:3, 2]
        target = posed[eye.iris] - eye.centre
        np.testing.assert_allclose(gaze, target / np.linalg.norm(target), atol=1e-9)
        assert eye.centre[2] + EyeConfig().radius_m < rig.neutral[eye.iris, 2]   # behind the lids


def test_projection_matches_the_proxy_renderer_convention():
    camera_module = pytest.importorskip("realtalk_headless.camera")
    points = np.array([[0.01, -0.02, -0.6], [0.05, 0.04, -0.55], [0.0, 0.0, -0.7]])
    ours = project(points, SubjectCameraConfig(fov_y_degrees=22.0, shift_y=0.0), 320, 320)[:, :2]
    proxy = camera_module.CameraConfig(fov_y_degrees=22.0).build(320, 320).project(points)
    np.testing.assert_allclose(ours, proxy, atol=1e-9)


def test_landmarks_image_is_normalised_and_centred(rig):
    pose = np.eye(4)[None].copy()
    pose[0, :3, 3] = (0.0, 0.0, -0.6)
    image = landmarks_image(rig.neutral[None], pose, SubjectCameraConfig(shift_y=0.0), 256)
    assert image.shape == (1, 478, 3)
    nose_tip = image[0, 1]
    assert abs(nose_tip[0] - 0.5) < 0.01 and nose_tip[2] < 0 < image[0, 234, 2] + 0.1


def test_job_round_trip(tmp_path):
    job = RenderJob(sequence=str(tmp_path / "s.npz"), out_dir=str(tmp_path), frames=(0, 3), size=64,
                    scene=SubjectSceneConfig())
    assert load_job(write_job(job, tmp_path / "job.json")) == job


@pytest.mark.parametrize("content", ["not json", json.dumps({"format": "other"}),
                                     json.dumps({"format": "realtalk-subject-job", "version": 1, "sequence": "s",
                                                 "out_dir": "o", "frames": [0], "size": 3}),
                                     json.dumps({"format": "realtalk-subject-job", "version": 1, "sequence": "s",
                                                 "out_dir": "o", "frames": [0], "size": 64, "scene": {"bogus": 1}})])
def test_bad_job_files_give_one_line_errors(tmp_path, content):
    path = tmp_path / "job.json"
    path.write_text(content)
    with pytest.raises(SubjectRenderError) as info:
        load_job(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_bad_sequences_are_refused():
    with pytest.raises(SubjectRenderError, match="blendshapes"):
        check_sequence(np.zeros((3, 51)), np.zeros((3, 4, 4)))
    pose = np.tile(np.eye(4), (2, 1, 1))
    with pytest.raises(SubjectRenderError, match="in front of the camera"):
        check_sequence(np.zeros((2, 52)), pose)
