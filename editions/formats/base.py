"""What every renderer is: the name of its format and render(publication, folder) -> file."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from editions.formats import BY_NAME
from editions.model.publication import Publication

# Rules every edition with a stylesheet shares (the HTML, the EPUB, the PDF), under templates/.
TABLES_STYLESHEET = "common/tables.css"


class Renderer(Protocol):
    name: str  # its row in editions.formats.FORMATS

    def render(self, publication: Publication, out_dir: Path) -> Path:
        """Write this format's edition of publication into out_dir and return its path."""
        ...


class LaidOutApart(Renderer, Protocol):
    """A renderer whose markup is made without its layout engine, so that a build can make it
    in one process while another imports the engine (see editions/build.py)."""

    def markup(self, publication: Publication) -> str: ...

    def lay_out(self, publication: Publication, markup: str, out_dir: Path) -> Path: ...


def edition_path(publication: Publication, out_dir: Path, format_name: str) -> Path:
    """SLUG.FMT for the master's edition, SLUG.LANG.FMT for a translation's."""
    return out_dir / f"{publication.edition_name}{BY_NAME[format_name].suffix}"
