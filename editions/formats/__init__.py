"""The formats, declared once: each row names a format, its file and the renderer that makes it.

Adding a format is one subpackage (editions/formats/NAME/, with a renderer) and one row here.
A renderer is imported on first use, so that a build can start pandoc (and the CLI can answer)
before the renderers and WeasyPrint are loaded.

`python -m editions.formats` prints the names, for the Makefile.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editions.formats.base import Renderer


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    media_type: str
    label: str
    purpose: str  # what a reader takes this edition for, on the release page
    renderer: str  # "module:Class", imported on first use
    # The order editions start in: the longest first (as measured on the flagship), so that
    # the shorter ones fill the cores around them.
    start: int
    # Whether its renderer makes the markup in one process and lays it out in another (see
    # editions/build.py): the build lays the first such edition out in its main process.
    laid_out_apart: bool = False

    def load(self) -> Renderer:
        return _renderer(self.renderer)


FORMATS: tuple[Format, ...] = (
    Format(
        "html",
        ".html",
        "text/html",
        "Web page (HTML)",
        "to read in a browser",
        "editions.formats.html.renderer:HtmlRenderer",
        start=4,
    ),
    Format(
        "pdf",
        ".pdf",
        "application/pdf",
        "PDF",
        "for print and reading on screen",
        "editions.formats.pdf.renderer:PdfRenderer",
        start=1,
        laid_out_apart=True,
    ),
    Format(
        "docx",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
        "to edit, comment and submit",
        "editions.formats.docx.renderer:DocxRenderer",
        start=3,
    ),
    Format(
        "epub",
        ".epub",
        "application/epub+zip",
        "EPUB 3",
        "for e-readers and libraries",
        "editions.formats.epub.renderer:EpubRenderer",
        start=2,
    ),
)
BY_NAME: dict[str, Format] = {format.name: format for format in FORMATS}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def renderer(name: str) -> Renderer:
    """The renderer of the format called name."""
    return BY_NAME[name].load()


@cache
def _renderer(reference: str) -> Renderer:
    module, _, cls = reference.partition(":")
    return getattr(importlib.import_module(module), cls)()
