"""A Word file as a reproducible zip: fixed entry order, times and compression."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")
EARLIEST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def reproducible_zip(data: bytes, built: dt.datetime) -> bytes:
    """Re-zip a .docx so that the same content always gives the same bytes.

    python-docx stamps each entry with the clock; here every entry gets the build time
    (UTC), the same permissions and deflate level, in a fixed order with the content-types
    entry first, as Office writes it.
    """
    stamp = max(built.astimezone(dt.UTC).timetuple()[:6], EARLIEST_ZIP_TIME)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = sorted(source.namelist(), key=_entry_order)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()


def _entry_order(name: str) -> tuple[int, str]:
    return (FIRST_ENTRIES.index(name) if name in FIRST_ENTRIES else len(FIRST_ENTRIES), name)
