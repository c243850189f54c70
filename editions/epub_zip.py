"""Reading an EPUB's entries and writing them back as an OCF container, byte for byte stable."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from .errors import EditionsError

MIMETYPE = "mimetype"
MIMETYPE_VALUE = b"application/epub+zip"
# Zip dates start in 1980; an earlier build date would not fit.
EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)

Entries = dict[str, bytes]


def read_entries(path: Path) -> Entries:
    """The container's files, in the order they were written."""
    try:
        with zipfile.ZipFile(path) as container:
            return {info.filename: container.read(info) for info in container.infolist()}
    except (OSError, zipfile.BadZipFile) as error:
        raise EditionsError(f"cannot read the EPUB pandoc wrote: {error}", path) from error


def write_container(entries: Entries, target: Path, modified: dt.datetime) -> None:
    """mimetype first and stored, then every other entry deflated, all dated modified."""
    timestamp = max(modified.astimezone(dt.UTC), EARLIEST).timetuple()[:6]
    with zipfile.ZipFile(target, "w") as container:
        container.writestr(_info(MIMETYPE, timestamp, zipfile.ZIP_STORED), MIMETYPE_VALUE)
        for name, data in entries.items():
            if name != MIMETYPE:
                container.writestr(_info(name, timestamp, zipfile.ZIP_DEFLATED), data)


def _info(name: str, timestamp: tuple[int, ...], compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=timestamp)  # type: ignore[arg-type]
    info.compress_type = compression
    info.create_system = 3  # Unix, whichever system builds
    info.external_attr = 0o100644 << 16
    return info
