"""Reading an EPUB's entries and writing them back as an OCF container, byte for byte stable."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from editions.adapters.ziparchive import write_reproducible_zip
from editions.errors import EditionsError

MIMETYPE = "mimetype"
MIMETYPE_VALUE = b"application/epub+zip"

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
    ordered = [(MIMETYPE, MIMETYPE_VALUE)]
    ordered += [(name, data) for name, data in entries.items() if name != MIMETYPE]
    write_reproducible_zip(ordered, target, modified, stored=frozenset({MIMETYPE}))
