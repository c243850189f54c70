"""The PDF after WeasyPrint: right-to-left text mended for readers (right_to_left.py), a
redline's changes named in the tag tree (change_tags.py), in one read and one write."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from editions.errors import EditionsError
from editions.formats.pdf.change_tags import tag_changes
from editions.formats.pdf.right_to_left import mend_right_to_left_text


def finish_pdf(path: Path, master: Path, redline_markup: str | None = None) -> None:
    """Finish the PDF at path in place; one that needs nothing is left byte for byte as
    WeasyPrint wrote it. redline_markup: the markup a redline was laid out from."""
    try:
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            changed = mend_right_to_left_text(pdf)
            if redline_markup is not None:
                tag_changes(pdf, redline_markup)
                changed = True
            if changed:
                pdf.save(path, deterministic_id=True)  # the identifier's first half is kept
    except pikepdf.PdfError as error:
        raise EditionsError(
            f"could not finish the PDF WeasyPrint wrote: {error}", master
        ) from error
