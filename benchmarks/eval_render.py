"""Render quality of a trained subject on its dataset's held-out ``val`` frames; writes docs/RESULTS.md
"render_quality" and docs/render_contact.png, render_jaw_sweep.png, render_emotion.png, render_attention.png.

Frames are rendered at 256 px and composited over each frame's own background plate; ground truth is the
dataset frame. Figures: PSNR, SSIM and mouth-box PSNR against thresholds; controllability (a jawOpen sweep
with everything else fixed); mouth PSNR on the val frames with the smallest inner-lip gap; flicker.

    python benchmarks/eval_render.py --subject DIR --dataset DIR [--frames N] [--flicker-frames 25]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_common import DOCS, Case, consecutive_run, open_case, pyplot, save_figure, script_emotion  # noqa: E402
from results import machine, write_section  # noqa: E402

SIZE = 256
THRESHOLDS = {"PSNR": (30.0, "dB"), "SSIM": (0.93, ""), "mouth PSNR": (27.0, "dB")}
JAW_STEPS = (0.0, 0.25, 0.5, 0.75, 1.0)
EMOTIONS = ("happy", "surprise", "sad")
CLOSED_SHARE = 0.25                      #: share of the evaluated val frames taken as "closed lips"
UPPER_INNER_LIP, LOWER_INNER_LIP = 13, 14  #: MediaPipe mesh vertices at the middle of the inner lips
CLOSED_MM = 2.0                          #: an inner-lip gap below this counts as closed lips


def _tensor(images: np.ndarray) -> torch.Tensor:
    """(N, H, W, 3) uint8 -> (N, 3, H, W) float in [0, 1]."""
    return torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float() / 255.0


def frame_scores(render: np.ndarray, truth: np.ndarray, mouth: np.ndarray) -> tuple[float, float, float]:
    """PSNR, SSIM (kornia, 11-tap Gaussian window, valid region) and mouth-box PSNR of one frame."""
    from kornia.metrics import ssim

    from realtalk_core.render.losses import psnr

    image, target = _tensor(render[None]), _tensor(truth[None])
    mask = torch.from_numpy(mouth)[None, None].float()
    return (float(psnr(image, target)), float(ssim(image, target, 11, padding="valid").mean()),
            float(psnr(image, target, mask)))


def jaw_sweep(case: Case, index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One frame with only jawOpen swept over JAW_STEPS -> (steps, S, S, 3) composites, and per step the mean
    absolute change (0-255) from the first step inside the mouth box and outside the dilated face region."""
    from realtalk_core.schema.channels import blendshape_index

    steps = len(JAW_STEPS)
    blendshapes = np.repeat(case.blendshapes[index][None], steps, 0)
    blendshapes[:, blendshape_index("jawOpen")[0]] = JAW_STEPS
    rgba = case.render(np.full(steps, index), SIZE, blendshapes=blendshapes)
    images = np.stack([case.composite(frame, index) for frame in rgba])
    change = np.abs(images.astype(np.float32) - images[:1].astype(np.float32)).mean(-1)     # (steps, S, S)
    mouth, outside = case.mouth_mask(index, SIZE), ~case.face_region(index, SIZE)
    return images, change[:, mouth].mean(1), change[:, outside].mean(1)


def mean_step(frames: np.ndarray) -> float:
    """Mean absolute frame-to-frame difference (0-255) of (T, H, W, 3) uint8 frames."""
    return float(np.abs(np.diff(frames.astype(np.float32), axis=0)).mean())


def emotion_conditions(case: Case, window: np.ndarray, model_path: Path | None
                       ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Emotional (landmarks, blendshapes) of the frames ``window`` for each of EMOTIONS at intensity 1.

    The frames' own blendshapes are the neutral layer of ``generate.apply_emotion`` (the emotion LDM deforms the
    rig's landmarks, the solver turns the change back into blendshapes); the landmarks get the rig's change on top
    of the tracked landmarks, so the identity stays the dataset's own.
    """
    from realtalk_core.assets.canonical_mesh import load_canonical_mesh
    from realtalk_core.assets.store import FACE_LANDMARKER, require
    from realtalk_core.emotion import EmotionModel
    from realtalk_core.generate import apply_emotion, resolve_subject
    from realtalk_core.generate.layers import NeutralLayer
    from realtalk_core.generate.models import DEFAULT_EMOTION, default_weights
    from realtalk_core.rig import FaceRig
    from realtalk_core.schema.emotion_curves import EmotionCurves

    identity = resolve_subject(str(case.dataset.root), FaceRig.build(load_canonical_mesh(require(FACE_LANDMARKER))))
    model = EmotionModel.load(model_path or default_weights(DEFAULT_EMOTION))
    neutral = case.blendshapes[window]
    layer = NeutralLayer(blendshapes=neutral, lips_together=np.zeros(len(window), np.float32),
                         sealed=np.zeros(len(window), bool), head_pose=case.head_pose[window])
    out = {}
    for name in EMOTIONS:
        mix, intensity = EmotionCurves.from_preset(f"{name}:1").sample(case.dataset.fps, len(window))
        weights, _ = apply_emotion(layer, mix.astype(np.float64), intensity.astype(np.float64), model, identity)
        delta = identity.rig.pose(weights) - identity.rig.pose(neutral)
        out[name] = ((case.landmarks[window] + delta).astype(np.float32), weights)
    return out


@torch.no_grad()
def out_of_range(case: Case, landmarks: np.ndarray, blendshapes: np.ndarray) -> tuple[str, float, float]:
    """The condition group (the model's whitened inputs) farthest outside its range over the training frames:
    (group, largest |value| of the given frames, largest |value| over training)."""
    space = case.subject.model.condition
    train = case.dataset.split("train")

    def peaks(lm: np.ndarray, bs: np.ndarray) -> dict[str, float]:
        groups = space(torch.from_numpy(lm).float(), torch.from_numpy(bs).float())
        return {name: float(value.abs().max()) for name, value in groups.items()}

    seen, given = peaks(case.landmarks[train], case.blendshapes[train]), peaks(landmarks, blendshapes)
    name = max(given, key=lambda g: given[g] / max(seen[g], 1.0))        # groups are whitened to about unit scale
    return name, given[name], seen[name]


def contact_sheet(rows: list[tuple[int, np.ndarray, np.ndarray, float]], path: Path) -> None:
    plt = pyplot()
    figure, axes = plt.subplots(len(rows), 3, figsize=(7.2, 2.45 * len(rows)), squeeze=False)
    for r, (index, truth, render, value) in enumerate(rows):
        error = np.clip(np.abs(truth.astype(np.float32) - render.astype(np.float32)).mean(-1) * 4, 0, 255)
        for c, (image, title) in enumerate(((truth, "ground truth"), (render, "render"), (error, "|error| x4"))):
            axes[r, c].imshow(image.astype(np.uint8), cmap="gray" if image.ndim == 2 else None, vmin=0, vmax=255)
            axes[r, c].set_xticks([])
            axes[r, c].set_yticks([])
            if r == 0:
                axes[r, c].set_title(title, fontsize=10)
        axes[r, 0].set_ylabel(f"val frame {index}\nPSNR {value:.1f} dB", fontsize=9)
    figure.tight_layout()
    save_figure(figure, path)


def strip(panels: list[tuple[np.ndarray, str]], title: str, path: Path, zoom: tuple[int, int, int, int] | None = None
          ) -> None:
    """Labelled images side by side; with ``zoom`` (y0, y1, x0, x1) a second row shows that crop enlarged."""
    plt = pyplot()
    rows = 2 if zoom else 1
    figure, axes = plt.subplots(rows, len(panels), figsize=(2.3 * len(panels), 2.5 * rows + 0.4), squeeze=False)
    for c, (image, label) in enumerate(panels):
        axes[0, c].imshow(image)
        axes[0, c].set_title(label, fontsize=9)
        if zoom:
            y0, y1, x0, x1 = zoom
            axes[1, c].imshow(image[y0:y1, x0:x1], interpolation="nearest")
            axes[1, c].set_xlabel("enlarged", fontsize=8)
        for ax in axes[:, c]:
            ax.set_xticks([])
            ax.set_yticks([])
    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    save_figure(figure, path)


def attention_figure(image: np.ndarray, maps: np.ndarray, names: tuple[str, ...], index: int, path: Path,
                     min_opacity: float = 0.05) -> None:
    """The frame beside one small map per token: its share of the attention along each ray (the accumulated
    weights over their sum, which is the ray's opacity), blank where the ray hits almost nothing."""
    plt = pyplot()
    opacity = maps.sum(0)                                                    # softmax weights sum to 1 per point
    share = np.where(opacity > min_opacity, maps / np.maximum(opacity, 1e-8), np.nan)      # (K, h, w)
    top = float(np.nanpercentile(share, 99.5)) if np.isfinite(share).any() else 1.0
    cols = 5
    grid_rows = -(-len(names) // cols)
    figure = plt.figure(figsize=(3.2 + 1.7 * cols, max(3.4, 1.75 * grid_rows + 0.4)))
    spec = figure.add_gridspec(grid_rows, cols + 2, width_ratios=[1.9 * grid_rows / 2] + [1] * cols + [0.08])
    frame = figure.add_subplot(spec[:, 0])
    frame.imshow(image)
    frame.set_title(f"render, val frame {index}", fontsize=9)
    frame.axis("off")
    colours = plt.get_cmap("magma").copy()
    colours.set_bad("0.8")
    for k, name in enumerate(names):
        ax = figure.add_subplot(spec[k // cols, 1 + k % cols])
        shown = ax.imshow(share[k], cmap=colours, vmin=0.0, vmax=top)
        ax.set_title(name, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    label = f"share of attention (uniform = {1 / len(names):.2f})"
    figure.colorbar(shown, cax=figure.add_subplot(spec[:, -1]), label=label)
    figure.suptitle("condition-token attention along each ray, as a share of all tokens (grey: ray hits nothing)",
                    fontsize=10)
    figure.tight_layout()
    save_figure(figure, path)


def mouth_zoom(case: Case, index: int, scale: float = 1.3) -> tuple[int, int, int, int]:
    """(y0, y1, x0, x1) pixels of a square ``scale`` times the mouth box's longer side, centred on it."""
    x0, y0, x1, y1 = case.mouth_boxes[index]
    side = int(np.clip(max(x1 - x0, y1 - y0) * scale * SIZE, 16, SIZE))
    top = int(np.clip((y0 + y1) / 2 * SIZE - side / 2, 0, SIZE - side))
    left = int(np.clip((x0 + x1) / 2 * SIZE - side / 2, 0, SIZE - side))
    return top, top + side, left, left + side


def verdict(name: str, values: np.ndarray) -> str:
    """A table row: mean (min) of per-frame ``values`` against THRESHOLDS[name], pass/fail on the mean."""
    limit, unit = THRESHOLDS[name]
    digits = 2 if unit else 4
    shown = f"{values.mean():.{digits}f} (min {values.min():.{digits}f}) {unit}".strip()
    target = f">= {limit:g} {unit}".strip()
    return f"| {name} | {shown} | {target} | {'pass' if values.mean() >= limit else '**fail**'} |"


@dataclass
class Measured:
    scored: np.ndarray                    #: val frames scored
    run: np.ndarray                       #: consecutive val frames of the flicker figure
    probe: int                            #: the frame of the sweep, emotion and attention figures
    renders: dict[int, np.ndarray]        #: frame -> composited render (S, S, 3) uint8
    truths: dict[int, np.ndarray]
    psnr: np.ndarray                      #: per scored frame
    ssim: np.ndarray
    mouth: np.ndarray
    gap_mm: np.ndarray                    #: ground-truth inner-lip gap per scored frame
    sweep: np.ndarray                     #: (len(JAW_STEPS), S, S, 3)
    jaw_mouth: np.ndarray                 #: per sweep step, change from jawOpen 0 inside the mouth box
    jaw_outside: np.ndarray               #: ... and outside the dilated face region
    flicker: dict[str, float]
    emotional: list[tuple[np.ndarray, str]]
    ranges: dict[str, tuple[str, float, float]]   #: emotion -> out_of_range() of its condition at the probe
    attention: tuple[np.ndarray, np.ndarray]   #: composite (S, S, 3), maps (K, h, w)
    seconds: float = 0.0


def measure(case: Case, frames: int, flicker_frames: int, emotion_model: Path | None) -> Measured:
    start = time.perf_counter()
    val = case.val
    scored = val if frames <= 0 or frames >= len(val) else val[np.linspace(0, len(val) - 1, frames).round().astype(int)]
    run = consecutive_run(val, flicker_frames)
    probe = int(run[len(run) // 2])
    wanted = np.union1d(scored, run)
    renders = {int(i): case.composite(f, i) for f, i in zip(case.render(wanted, SIZE), wanted)}
    truths = {int(i): case.truth(i, SIZE) for i in wanted}
    scores = np.array([frame_scores(renders[i], truths[i], case.mouth_mask(i, SIZE)) for i in scored.tolist()])
    raw = case.dataset.tracks["landmarks"][scored]
    gap = np.linalg.norm(raw[:, UPPER_INNER_LIP] - raw[:, LOWER_INNER_LIP], axis=-1) * 1000.0
    sweep, jaw_mouth, jaw_outside = jaw_sweep(case, probe)
    static = np.stack([case.composite(f, probe) for f in case.render(np.full(flicker_frames, probe), SIZE)])
    flicker = {"static": mean_step(static), "render": mean_step(np.stack([renders[i] for i in run.tolist()])),
               "truth": mean_step(np.stack([truths[i] for i in run.tolist()]))}
    at = int(np.flatnonzero(run == probe)[0])
    emotional, ranges = [], {}
    for name, (landmarks, blendshapes) in emotion_conditions(case, run, emotion_model).items():
        landmarks, blendshapes = landmarks[at:at + 1], blendshapes[at:at + 1]
        rgba = case.render(np.array([probe]), SIZE, landmarks=landmarks, blendshapes=blendshapes)
        emotional.append((case.composite(rgba[0], probe), f"+ {name} 1.0"))
        ranges[name] = out_of_range(case, landmarks, blendshapes)
    rgba, maps = case.render(np.array([probe]), SIZE, with_attention=True)
    return Measured(scored, run, probe, renders, truths, *scores.T, gap, sweep, jaw_mouth, jaw_outside, flicker,
                    emotional, ranges, (case.composite(rgba[0], probe), maps[0]), time.perf_counter() - start)


def write_figures(case: Case, m: Measured) -> None:
    probe, own = m.probe, script_emotion(case.dataset, m.probe)
    pick = np.linspace(0, len(m.scored) - 1, min(4, len(m.scored))).round().astype(int)
    contact_sheet([(int(m.scored[j]), m.truths[int(m.scored[j])], m.renders[int(m.scored[j])], m.psnr[j])
                   for j in pick], DOCS / "render_contact.png")
    labels = (f"jawOpen {w:.2f}\nmouth change {d:.2f}/255" for w, d in zip(JAW_STEPS, m.jaw_mouth))
    strip(list(zip(m.sweep, labels)), f"val frame {probe}: only the jawOpen blendshape changes (other blendshapes "
          "and all landmarks fixed); change measured from jawOpen 0", DOCS / "render_jaw_sweep.png",
          mouth_zoom(case, probe))
    own_label = "own condition" + (f"\n(script: {own})" if own else "")
    strip([(m.truths[probe], "ground truth"), (m.renders[probe], own_label), *m.emotional],
          f"val frame {probe}: emotion LDM applied to the frame's own expression, intensity 1",
          DOCS / "render_emotion.png", mouth_zoom(case, probe, scale=2.2))
    attention_figure(*m.attention, case.subject.model.token_names, probe, DOCS / "render_attention.png")


def report(case: Case, m: Measured, flicker_frames: int) -> str:
    closed = np.argsort(m.gap_mm)[:max(2, int(round(CLOSED_SHARE * len(m.scored))))]
    closed_list = ", ".join(f"{int(m.scored[j])} ({m.gap_mm[j]:.1f} mm)" for j in closed)
    flicker, run = m.flicker, m.run
    return "\n".join([
        "## Subject render quality (`benchmarks/eval_render.py`)", "",
        f"Machine: {machine()}. {case.describe()} Renders at {SIZE} px composited over each frame's background plate, "
        f"scored against the dataset frame on {len(m.scored)} held-out val frames (frames {int(m.scored[0])}-"
        f"{int(m.scored[-1])}). SSIM: kornia, 11-tap Gaussian window, valid region. Mouth PSNR: inside the mouth box "
        f"(mouth landmarks + 35 % margin, the box training weights). Run time {m.seconds:.0f} s, torch threads "
        f"{torch.get_num_threads()}.", "",
        "| metric | mean (min over frames) | threshold | |", "|---|---|---|---|",
        verdict("PSNR", m.psnr), verdict("SSIM", m.ssim), verdict("mouth PSNR", m.mouth), "",
        f"**Controllability** (val frame {m.probe}; only the `jawOpen` blendshape swept 0 -> 1, every other blendshape "
        "**and all landmarks held at the frame's own values**, so the jaw must open through the blendshape tokens "
        f"alone): mean absolute change from jawOpen 0 to 1 is **{m.jaw_mouth[-1]:.2f}/255 inside the mouth box** and "
        f"**{m.jaw_outside[-1]:.2f}/255 outside the face** (outside the dataset's face mask dilated by 6 % of the "
        "frame: hair, neck, torso, background). A controllable subject changes the mouth a lot and the rest hardly "
        f"at all. Mouth-box change from jawOpen 0 at {', '.join(f'{w:g}' for w in JAW_STEPS[1:])}: "
        f"{', '.join(f'{d:.2f}' for d in m.jaw_mouth[1:])} (it should grow steadily). "
        "Strip: `docs/render_jaw_sweep.png`.", "",
        f"**Lip closure**: the {len(closed)} scored val frames with the smallest ground-truth inner-lip gap (vertices "
        f"{UPPER_INNER_LIP}-{LOWER_INNER_LIP}): {closed_list}; their mouth PSNR {m.mouth[closed].mean():.2f} dB "
        f"(all scored frames {m.mouth.mean():.2f} dB; their gaps {m.gap_mm.min():.1f}-{m.gap_mm.max():.1f} mm)."
        + (f" **No scored val frame has closed lips (gap < {CLOSED_MM:g} mm)**, so this measures the least open "
           "mouths, not closures." if m.gap_mm.min() >= CLOSED_MM else ""), "",
        f"**Flicker** (mean absolute frame-to-frame difference, 0-255): one frame's condition and pose repeated "
        f"{flicker_frames} times: {flicker['static']:.3f} (rendering is deterministic, so this should be 0); "
        f"{len(run)} consecutive val frames ({int(run[0])}-{int(run[-1])}): render {flicker['render']:.3f}, "
        f"ground truth {flicker['truth']:.3f} (ratio {flicker['render'] / max(flicker['truth'], 1e-9):.2f}).", "",
        "**Emotional conditions** (val frame " + str(m.probe) + ", emotion LDM at intensity 1 on the frame's own "
        "expression): the condition group farthest outside the training frames' range, as largest |whitened value| "
        "against the training maximum: " + "; ".join(f"{e} `{g}` {v:.1f} (training {t:.1f})"
                                                    for e, (g, v, t) in m.ranges.items())
        + ". Far outside means the renderer extrapolates there.", "",
        "Figures: `docs/render_contact.png` (ground truth | render | error x4, 4 val frames), "
        "`docs/render_jaw_sweep.png`, `docs/render_emotion.png` (the frame with its own condition, then with the "
        f"emotion LDM's {', '.join(EMOTIONS)} at intensity 1 applied to it), `docs/render_attention.png` "
        "(each condition token's share of the attention, accumulated along the rays like colour).",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subject", type=Path, required=True, help="trained subject folder (subject.pt)")
    parser.add_argument("--dataset", type=Path, required=True, help="the dataset the subject was trained on")
    parser.add_argument("--frames", type=int, default=0, help="val frames to score, evenly spaced (0: all)")
    parser.add_argument("--flicker-frames", type=int, default=25, help="length of both flicker sequences")
    parser.add_argument("--emotion-model", type=Path, help="emotion LDM checkpoint (default: the shipped one)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    args = parser.parse_args()
    case = open_case(args.subject, args.dataset)
    measured = measure(case, args.frames, args.flicker_frames, args.emotion_model)
    body = report(case, measured, args.flicker_frames)
    print(body)
    if not args.no_write:
        write_figures(case, measured)
        write_section("render_quality", body)
        print("wrote docs/RESULTS.md (render_quality), " + ", ".join(
            f"docs/render_{n}.png" for n in ("contact", "jaw_sweep", "emotion", "attention")))


if __name__ == "__main__":
    main()
