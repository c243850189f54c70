"""Rebuilding into a temporary folder and comparing with what build/ holds."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from editions.build import build
from editions.compare import first_difference


@dataclass(frozen=True)
class Verdict:
    path: Path
    difference: str | None

    @property
    def reproducible(self) -> bool:
        return self.difference is None


def verify(
    source: Path, out_root: Path, slugs: Iterable[str] | None, formats: Iterable[str] | None
) -> list[Verdict]:
    """Rebuild the editions elsewhere; a verdict for each edition in out_root."""
    with tempfile.TemporaryDirectory(prefix="editions-verify-") as scratch:
        rebuilt = build(source, Path(scratch), slugs, formats)
        verdicts = []
        for edition in rebuilt:
            kept = out_root / edition.slug / edition.path.name
            if not kept.is_file():
                verdicts.append(Verdict(kept, "not in the build folder; run `make all` first"))
            else:
                verdicts.append(Verdict(kept, first_difference(kept, edition.path)))
    return verdicts
