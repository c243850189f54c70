"""Where two editions differ: the first differing zip entry, or the first differing byte."""

from __future__ import annotations

import zipfile
from pathlib import Path


def first_difference(expected: Path, actual: Path) -> str | None:
    """None when the files are byte-identical, else a short description of the first change."""
    left, right = expected.read_bytes(), actual.read_bytes()
    if left == right:
        return None
    if zipfile.is_zipfile(expected) and zipfile.is_zipfile(actual):
        entry = _first_differing_entry(expected, actual)
        if entry:
            return entry
    offset = next(
        (i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b),
        min(len(left), len(right)),
    )
    return f"first differing byte at offset {offset} (sizes {len(left)} and {len(right)})"


def _first_differing_entry(expected: Path, actual: Path) -> str | None:
    with zipfile.ZipFile(expected) as a, zipfile.ZipFile(actual) as b:
        left = [(i.filename, i.date_time, i.compress_type) for i in a.infolist()]
        right = [(i.filename, i.date_time, i.compress_type) for i in b.infolist()]
        for (name_a, time_a, kind_a), (name_b, time_b, kind_b) in zip(left, right, strict=False):
            if name_a != name_b:
                return f"zip entries differ in order or name: {name_a} / {name_b}"
            if a.read(name_a) != b.read(name_b):
                return f"zip entry {name_a} differs in content"
            if (time_a, kind_a) != (time_b, kind_b):
                return f"zip entry {name_a} differs in time stamp or compression"
        if len(left) != len(right):
            return f"zip entry count differs: {len(left)} and {len(right)}"
    return None
