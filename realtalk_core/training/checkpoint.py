"""Checkpoint files: one dict of tensors and plain data, written atomically, read with ``weights_only``.

A checkpoint carries its own config (so the model is rebuilt without flags), the model's
``kind`` (so a motion checkpoint is never loaded as an emotion model), the format version and
free-form ``meta`` (training command, seed, data summary). Its sha256 is what lands in a Take's
provenance.
"""

from __future__ import annotations

import io
import os
import pickle
import zipfile
from pathlib import Path
from typing import Any

import torch

from ..schema.errors import RealtalkError
from ..schema.fileio import atomic_write, sha256_file

FORMAT = "realtalk-checkpoint"
VERSION = 1


class CheckpointError(RealtalkError):
    """A checkpoint is missing, damaged or of the wrong kind; the message names the file."""


def save_checkpoint(path: str | os.PathLike[str], kind: str, config: dict[str, Any],
                    state: dict[str, torch.Tensor], **extra: Any) -> str:
    """Write ``path`` atomically; returns its sha256."""
    payload = {"format": FORMAT, "version": VERSION, "kind": kind, "config": config,
               "state": {k: v.detach().cpu().contiguous() for k, v in state.items()}, **extra}
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        handle.write(buffer.getvalue())
    return sha256_file(path)


def load_checkpoint(path: str | os.PathLike[str], kind: str) -> tuple[dict[str, Any], str]:
    """Read a checkpoint of ``kind``; returns (payload, sha256). One-line errors for every failure."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such checkpoint file; pass the .pt file written by `realtalk train`")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except (RuntimeError, pickle.UnpicklingError, zipfile.BadZipFile, EOFError, ValueError, OSError) as error:
        first = str(error).strip().splitlines()[0][:120] if str(error).strip() else type(error).__name__
        raise CheckpointError(f"{path}: not a readable checkpoint ({first}); retrain it or restore the file") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a RealTalk checkpoint; pass a file written by `realtalk train`")
    if payload.get("version") != VERSION:
        raise CheckpointError(f"{path}: checkpoint version {payload.get('version')} is not {VERSION}; retrain it")
    if payload.get("kind") != kind:
        raise CheckpointError(f"{path}: is a {payload.get('kind')!r} checkpoint, but a {kind!r} one is needed")
    return payload, sha256_file(path)
