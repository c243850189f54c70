"""Rebuilding into a temporary folder and comparing with what build/ holds.

An edition older than its sources was not built from them: comparing it would report an
edit as a reproducibility failure. It is reported out of date instead, and not compared."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from editions.build import build, select_formats, select_publications
from editions.compare import Difference, compare
from editions.formats import BY_NAME
from editions.model.folder import THEME
from editions.model.languages import translation_tags
from editions.paths import TEMPLATES

PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Verdict:
    path: Path
    difference: Difference | None = None
    missing: bool = False
    newer: Path | None = None  # a source saved after the edition was written

    @property
    def reproducible(self) -> bool:
        return self.difference is None and not self.missing and self.newer is None


def verify(
    source: Path, out_root: Path, slugs: Iterable[str] | None, formats: Iterable[str] | None
) -> list[Verdict]:
    """A verdict for each edition: out of date, missing, or rebuilt elsewhere and compared."""
    format_names = select_formats(formats)
    chosen = select_publications(source, slugs)
    code = newest([TEMPLATES, PACKAGE])
    if (source / THEME).is_file():  # the theme of every publication without its own
        code = max(code, source / THEME, key=_mtime)
    # Each edition by its publication and file name: SLUG.FMT, SLUG.LANG.FMT for a translation.
    editions = {
        slug: [
            f"{name}{BY_NAME[f].suffix}"
            for name in (slug, *(f"{slug}.{tag}" for tag in translation_tags(source / slug)))
            for f in format_names
        ]
        for slug in chosen
    }
    verdicts: dict[tuple[str, str], Verdict] = {}
    for slug in chosen:
        newest_source = max(newest([source / slug]), code, key=_mtime)
        for file in editions[slug]:
            kept = out_root / slug / file
            if not kept.is_file():
                verdicts[slug, file] = Verdict(kept, missing=True)
            elif _mtime(newest_source) > _mtime(kept):
                verdicts[slug, file] = Verdict(kept, newer=newest_source)
    # Only what can be compared is rebuilt: after an edit, nothing may be.
    to_build = [s for s in chosen if any((s, file) not in verdicts for file in editions[s])]
    if to_build:
        with tempfile.TemporaryDirectory(prefix="editions-verify-") as scratch:
            for edition in build(source, Path(scratch), to_build, format_names):
                if (edition.slug, edition.path.name) not in verdicts:
                    kept = out_root / edition.slug / edition.path.name
                    verdicts[edition.slug, edition.path.name] = Verdict(
                        kept, compare(kept, edition.path)
                    )
    return [verdicts[slug, file] for slug in chosen for file in editions[slug]]


def newest(folders: Iterable[Path]) -> Path:
    """The most recently modified file under folders (hidden files and caches aside)."""
    return max(_files(folders), key=_mtime)


def _files(folders: Iterable[Path]) -> Iterator[Path]:
    for folder in folders:
        for path in folder.rglob("*"):
            parts = path.relative_to(folder).parts
            if any(p.startswith(".") or p == "__pycache__" for p in parts) or not path.is_file():
                continue
            yield path


def _mtime(path: Path) -> int:
    return path.stat().st_mtime_ns
