"""Read HTK/HTS label files (``start end label`` per line) into :class:`Phone` lists.

Times are integers in HTK's 100 ns units, or decimal seconds when they contain a point. A full
HTS context label (``p1^p2-p3+p4=p5@...``) contributes its centre phone ``p3``. Phone names are
ARPAbet (as in CMU ARCTIC: lower case, ``pau``/``sil`` for pauses) and become IPA symbols.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..schema.errors import RealtalkError
from .phones import Phone, arpabet_to_ipa, merge_pauses

HTK_UNITS_PER_S = 10_000_000
_HTS_CENTRE = re.compile(r"^[^\^]*\^[^-]*-([^+]+)\+")


class LabelError(RealtalkError):
    """A label file is missing or malformed."""


def centre_phone(label: str) -> str:
    """The phone a label names: ``x^sil-hh+iy=t@...`` -> ``hh``; a plain ``hh`` stays ``hh``."""
    match = _HTS_CENTRE.match(label)
    return match.group(1) if match else label


def parse_labels(text: str, source: str = "<labels>", ipa: bool = True) -> list[Phone]:
    """Phones from label text; ``ipa=False`` keeps the label set's own names."""
    phones: list[Phone] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts or parts[0] == "#" or line.startswith("#"):
            continue
        if len(parts) < 3:
            raise LabelError(f"{source}: line {number} needs 'start end label', found {line.strip()!r}")
        divisor = 1.0 if "." in parts[0] or "." in parts[1] else HTK_UNITS_PER_S
        try:
            start, end = float(parts[0]) / divisor, float(parts[1]) / divisor
        except ValueError:
            raise LabelError(f"{source}: line {number} has non-numeric times {parts[0]!r} {parts[1]!r}") from None
        if end < start or (phones and start < phones[-1].start):
            raise LabelError(f"{source}: line {number} goes back in time ({start:.3f}-{end:.3f} s)")
        name = centre_phone(parts[2])
        if ipa:
            try:
                name = arpabet_to_ipa(name)
            except KeyError:
                raise LabelError(f"{source}: line {number} has unknown phone {name!r}; "
                                 "expected ARPAbet names (read with ipa=False for other sets)") from None
        phones.append(Phone(name, start, end))
    if not phones:
        raise LabelError(f"{source}: no labels found; expected lines of 'start end label'")
    return merge_pauses(phones) if ipa else phones


def read_labels(path: str | Path, ipa: bool = True) -> list[Phone]:
    """Phones from an HTK/HTS label file (see :func:`parse_labels`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LabelError(f"{path}: no such label file; run `realtalk assets fetch` for arctic_a0009") from None
    except (OSError, UnicodeDecodeError) as err:
        raise LabelError(f"{path}: cannot read the label file ({err}); pass a UTF-8 text file") from None
    return parse_labels(text, str(path), ipa=ipa)
