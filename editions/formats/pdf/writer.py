"""Running WeasyPrint: the markup in, a tagged PDF out, nothing read but the allowed folders."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import weasyprint
from weasyprint.urls import FatalURLFetchingError

from editions.errors import EditionsError
from editions.formats.pdf.fetcher import FolderFetcher
from editions.formats.pdf.links import drop_nested_link_annotations
from editions.formats.pdf.page_references import keep_page_references

PDF_VARIANT = "pdf/ua-1"
keep_page_references()


def write_pdf(
    markup: str,
    target: Path,
    folder: Path,
    allowed: list[Path],
    identifier: bytes,
    master: Path,
    version: str = "",
    draft: bool = False,
) -> None:
    """Lay out markup (relative addresses resolved in folder) and write the PDF to target,
    with the publication's version, if any, and a draft's status in the document information."""
    fetcher = FolderFetcher(allowed, master)
    options = pdf_options(identifier)
    with _weasyprint_errors(master):
        # What HTML.write_pdf does, with the links put right between layout and writing.
        document = weasyprint.HTML(
            string=markup, base_url=base_url(folder), url_fetcher=fetcher
        ).render(**options)
        drop_nested_link_annotations(document)
        # Only these among the custom fields, not every <meta> of the page: the version, and
        # a draft's status (which the release looks for).
        custom = {"Version": version} if version else {}
        if draft:
            custom["Status"] = "Draft"
        document.metadata.custom = custom
        document.write_pdf(target, **options, custom_metadata=bool(custom))


def base_url(folder: Path) -> str:
    """Where the markup's relative addresses point: the publication's folder."""
    return folder.resolve().as_uri() + "/"


def pdf_options(identifier: bytes) -> dict[str, object]:
    """The PDF WeasyPrint writes: tagged PDF/UA, its identifier fixed. (The bench's floor
    asks WeasyPrint for the same.)"""
    return {"pdf_variant": PDF_VARIANT, "pdf_tags": True, "pdf_identifier": identifier}


@contextlib.contextmanager
def _weasyprint_errors(master: Path) -> Iterator[None]:
    """Whatever WeasyPrint raises becomes one EditionsError line."""
    try:
        yield
    except (EditionsError, OSError):
        raise  # an OSError (a full disk) is named with its file where the PDF is written
    except (Exception, FatalURLFetchingError) as error:
        # A refusal of the URL fetcher reaches us wrapped; report the refusal itself.
        if isinstance(error.__cause__, EditionsError):
            raise error.__cause__ from None
        lines = str(error).strip().splitlines()
        raise EditionsError(
            f"WeasyPrint could not make the PDF: {type(error).__name__}: "
            f"{lines[0] if lines else 'no message'}",
            master,
        ) from error
