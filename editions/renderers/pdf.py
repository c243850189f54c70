"""The PDF edition: the HTML edition's markup laid out for print by WeasyPrint."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path

import weasyprint
from weasyprint.urls import FatalURLFetchingError

from ..errors import EditionsError
from ..output import atomic_path
from ..paths import TEMPLATES
from ..pdf_fetcher import FolderFetcher
from ..pdf_markup import print_markup
from ..publication import Publication
from .base import edition_path
from .html import page_markup, read_template

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
PDF_VARIANT = "pdf/ua-1"


class PdfRenderer:
    name = "pdf"
    suffix = ".pdf"

    def render(self, publication: Publication, out_dir: Path) -> Path:
        target = edition_path(publication, out_dir, self.suffix)
        markup = print_markup(
            page_markup(publication, stylesheet=print_stylesheet(publication), medium="print")
        )
        with atomic_path(target) as temporary:
            _write_pdf(markup, publication, temporary)
        return target


def print_stylesheet(publication: Publication) -> str:
    """The print stylesheet, with the page size and running header of this publication."""
    size = PAGE_SIZES[publication.metadata.paper]
    running_title = css_string(publication.metadata.running_title)
    page_rule = f"@page {{ size: {size}; @top-left {{ content: {running_title}; }} }}\n"
    return read_template("pdf/print.css") + "\n" + page_rule


def css_string(text: str) -> str:
    """text as a quoted CSS string."""
    escaped = "".join(
        f"\\{ord(c):x} " if c in '"\\' or ord(c) < 0x20 or c == "\x7f" else c for c in text
    )
    return f'"{escaped}"'


def pdf_identifier(publication: Publication) -> bytes:
    """The PDF file identifier: fixed by the publication's identifier, never random."""
    return hashlib.sha256(publication.metadata.identifier.encode("utf-8")).hexdigest()[:32].encode()


def _write_pdf(markup: str, publication: Publication, target: Path) -> None:
    fetcher = FolderFetcher([publication.folder, TEMPLATES], publication.master)
    with _weasyprint_errors(publication.master):
        weasyprint.HTML(
            string=markup, base_url=publication.folder.as_uri() + "/", url_fetcher=fetcher
        ).write_pdf(
            target,
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
            pdf_identifier=pdf_identifier(publication),
        )


@contextlib.contextmanager
def _weasyprint_errors(master: Path) -> Iterator[None]:
    """Whatever WeasyPrint raises becomes one EditionsError line."""
    try:
        yield
    except EditionsError:
        raise
    except (Exception, FatalURLFetchingError) as error:
        # A refusal of the URL fetcher reaches us wrapped; report the refusal itself.
        if isinstance(error.__cause__, EditionsError):
            raise error.__cause__ from None
        raise EditionsError(
            f"WeasyPrint could not make the PDF: {type(error).__name__}: {error}", master
        ) from error
