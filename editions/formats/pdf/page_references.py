"""A fix for tagged PDFs of many pages: pydyf's page references, built once per page added.

pydyf (0.13) rebuilds the tuple of every page's reference each time `PDF.page_references` is
read, and WeasyPrint's PDF/UA tagging reads it for every tagged element: the time to write a
tagged PDF grows with pages × elements (at 800 pages, seconds more than the layout needs).
The tuple only changes when a page is added, so it is kept until the next one is.
The bytes written are the same either way (tests/test_pdf.py checks it).
"""

from __future__ import annotations

import pydyf

_rebuilt = getattr(pydyf.PDF, "page_references", None)  # the property as pydyf defines it


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    assert isinstance(_rebuilt, property)
    pages = len(pdf.pages["Kids"])
    kept = pdf.__dict__.get("_page_references")
    if kept is None or kept[0] != pages:
        kept = (pages, _rebuilt.fget(pdf))
        pdf.__dict__["_page_references"] = kept
    return kept[1]


def keep_page_references() -> None:
    """Make pydyf keep its page references (once; a later pydyf without them is left alone)."""
    if isinstance(_rebuilt, property) and pydyf.PDF.page_references is _rebuilt:
        pydyf.PDF.page_references = property(_page_references)  # type: ignore[method-assign]
