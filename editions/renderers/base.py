"""What every renderer is: a name, a file suffix, and render(publication, folder) -> file."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..publication import Publication


class Renderer(Protocol):
    name: str
    suffix: str

    def render(self, publication: Publication, out_dir: Path) -> Path:
        """Write this format's edition of publication into out_dir and return its path."""
        ...


def edition_path(publication: Publication, out_dir: Path, suffix: str) -> Path:
    return out_dir / f"{publication.slug}{suffix}"
