"""A Word file as a reproducible zip: fixed entry order, times and compression."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from editions.adapters.ziparchive import write_reproducible_zip

FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")


def reproducible_zip(data: bytes, built: dt.datetime) -> bytes:
    """Re-zip a .docx so that the same content always gives the same bytes.

    python-docx stamps each entry with the clock; here every entry gets the build time, in a
    fixed order with the content-types entry first, as Office writes it.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = sorted(source.namelist(), key=_entry_order)
        out = io.BytesIO()
        write_reproducible_zip(((name, source.read(name)) for name in names), out, built)
    return out.getvalue()


def _entry_order(name: str) -> tuple[int, str]:
    return (FIRST_ENTRIES.index(name) if name in FIRST_ENTRIES else len(FIRST_ENTRIES), name)
