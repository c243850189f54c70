"""The PDF edition: the HTML edition's body in the print page (templates/pdf/), adapted to
paper and laid out by WeasyPrint."""

from __future__ import annotations

import hashlib
from pathlib import Path

from editions.adapters import templates
from editions.formats.base import TABLES_STYLESHEET, edition_path
from editions.formats.html.renderer import CHANGES_STYLESHEET, page_markup
from editions.formats.pdf.finish import finish_pdf
from editions.formats.pdf.markup import print_markup
from editions.model.publication import Publication
from editions.model.words import placeholders
from editions.output import atomic_path
from editions.paths import TEMPLATES

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
PAGE_HEIGHTS_MM = {"a4": 297, "letter": 279.4}
# The title page's margins, top and bottom together (print.css, @page title).
TITLE_MARGINS_MM = 60
# A draft's watermark: an SVG as every page's background, which WeasyPrint draws as an
# artifact, so that screen readers and text extraction by structure skip it.
WATERMARK = TEMPLATES / "pdf" / "draft.svg"


class PdfRenderer:
    name = "pdf"

    def render(self, publication: Publication, out_dir: Path) -> Path:
        return self.lay_out(publication, self.markup(publication), out_dir)

    @staticmethod
    def markup(publication: Publication) -> str:
        """The page WeasyPrint lays out; made without WeasyPrint, so that a build can make it
        in another process while this one imports WeasyPrint."""
        page = page_markup(publication, "pdf/page.html.j2", print_stylesheet(publication))
        return print_markup(page, change_bars=publication.redline is not None)

    def lay_out(self, publication: Publication, markup: str, out_dir: Path) -> Path:
        # WeasyPrint takes a third of a second to import: only PDF builds pay for it.
        from editions.formats.pdf.writer import write_pdf

        target = edition_path(publication, out_dir, self.name)
        with atomic_path(target) as temporary:
            write_pdf(
                markup,
                temporary,
                folder=publication.folder,
                allowed=[publication.folder, TEMPLATES],
                identifier=pdf_identifier(publication),
                master=publication.master,
                version=publication.metadata.version,
                draft=publication.metadata.is_draft,
            )
            redline_markup = markup if publication.redline is not None else None
            finish_pdf(temporary, publication.master, redline_markup)
        return target


def print_stylesheet(publication: Publication) -> str:
    """The print stylesheet, with this publication's paper size and running header."""
    size = PAGE_SIZES[publication.metadata.paper]
    metadata = publication.metadata
    running_title = css_string(metadata.running_title)
    number = page_number(metadata.words["page"])
    start, end = ("right", "left") if metadata.direction == "rtl" else ("left", "right")
    page_rule = (
        f"@page {{ size: {size}; @top-{start} {{ content: {running_title}; }} "
        f"@top-{end} {{ content: string(section, start); }} "
        f"@bottom-{end} {{ content: {number}; }} }}\n"
    )
    title_height = PAGE_HEIGHTS_MM[publication.metadata.paper] - TITLE_MARGINS_MM
    page_rule += f".title-block {{ height: {title_height}mm; }}\n"
    if publication.metadata.is_draft:
        page_rule += draft_pages(publication)
    changes = templates.read(CHANGES_STYLESHEET) if publication.redline is not None else ""
    return (
        publication.theme.css_root()
        + templates.read("pdf/print.css")
        + templates.read(TABLES_STYLESHEET)
        + changes
        + "\n"
        + page_rule
    )


def page_number(words: str) -> str:
    """The CSS content of the page number from the language's words for it ('page {page} of
    {pages}'), its spaces unbreakable."""
    parts = []
    for text, counter in placeholders(words, ("page", "pages")):
        if text:
            parts.append(css_string(text.replace(" ", "\u00a0")))
        if counter:
            parts.append(f"counter({counter})")
    return " ".join(parts)


def draft_pages(publication: Publication) -> str:
    """Every page of a draft, the title page too: the notice in the header, the watermark."""
    notice = css_string(publication.metadata.draft_notice)
    end = "left" if publication.metadata.direction == "rtl" else "right"
    header = (
        f"@top-{end} {{ content: {notice}; font-family: var(--sans); font-size: 8pt; "
        "font-weight: bold; color: #8a1c1c; vertical-align: bottom; padding-bottom: 5mm; }"
    )
    background = f'background: url("{WATERMARK.resolve().as_uri()}") no-repeat center / 100% auto;'
    return f"@page {{ {background} {header} }}\n@page title {{ {header} }}\n"


def css_string(text: str) -> str:
    """text as a quoted CSS string."""
    escaped = "".join(
        f"\\{ord(c):x} " if c in '"\\' or ord(c) < 0x20 or c == "\x7f" else c for c in text
    )
    return f'"{escaped}"'


def pdf_identifier(publication: Publication) -> bytes:
    """The PDF file identifier: fixed by the publication's identifier, never random."""
    return hashlib.sha256(publication.metadata.identifier.encode("utf-8")).hexdigest()[:32].encode()
