"""The face rig: ARKit-52 blendshapes on MediaPipe's 478-landmark topology (in progress).

Built so far: left/right symmetry of the landmarks (``symmetry``), head pose from landmarks
with One-Euro smoothing (``pose``), and the bounded
least-squares blendshape solver (``solver``).
"""
