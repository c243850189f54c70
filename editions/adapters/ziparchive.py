"""Zip containers (DOCX, EPUB) written so that the same entries always give the same bytes."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

# Zip dates start in 1980; an earlier build date would not fit.
EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def write_reproducible_zip(
    entries: Iterable[tuple[str, bytes]],
    target: Path | IO[bytes],
    built: dt.datetime,
    stored: frozenset[str] = frozenset(),
) -> None:
    """Write entries in the order given, each dated built (UTC), with the same permissions
    and deflate level whatever the machine, clock or umask; names in stored stay uncompressed.
    """
    stamp = max(built.astimezone(dt.UTC), EARLIEST).timetuple()[:6]
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whichever system builds
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=None if name in stored else 9)
