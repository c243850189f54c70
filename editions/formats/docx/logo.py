"""The theme's logo in the DOCX: atop the title block and in the running header.

Word draws PNG (and JPEG): an SVG logo is drawn as a PNG first (editions/adapters/raster.py)."""

from __future__ import annotations

import io

from docx.document import Document
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm

from editions.adapters.raster import svg_to_png
from editions.model.images import SVG_TYPE
from editions.model.theme import Logo

TITLE_HEIGHT = Cm(1.6)
HEADER_HEIGHT = Cm(0.6)


def drawable(logo: Logo | None) -> bool:
    return logo is not None and logo.image.media_type in ("image/png", SVG_TYPE)


def add_title_logo(document: Document, logo: Logo, style: str, title_style: str) -> None:
    """A paragraph holding the logo before the title."""
    title = next((p for p in document.paragraphs if p.style.name == title_style), None)
    if title is None:
        return
    paragraph = title.insert_paragraph_before(style=style)
    _picture(paragraph.add_run(), logo, TITLE_HEIGHT)


def add_header_logo(section: Section, logo: Logo) -> None:
    """The logo, small, before the running title."""
    paragraph = section.header.paragraphs[0]
    run = paragraph.add_run()
    _picture(run, logo, HEADER_HEIGHT)
    run.add_text("\u2002")
    first = paragraph._p.find(qn("w:r"))
    if first is not None and first is not run._r:
        first.addprevious(run._r)


def _picture(run, logo: Logo, height: Cm) -> None:
    image = logo.image
    data = svg_to_png(image.data) if image.media_type == SVG_TYPE else image.data
    shape = run.add_picture(io.BytesIO(data), height=height)
    shape._inline.docPr.set("descr", logo.alt)  # what a screen reader says
