"""Reading a publication's source files, once each, with errors a user can act on.

A publication's files are read through read_source: never through a symbolic link that leads
out of the folder, never a file that is not a regular file (a FIFO would hang the build),
never more than a limit. Their text is UTF-8 with LF line ends (CRLF and CR are converted)
and no control characters, which no edition can carry (XML refuses most of them).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from editions.errors import EditionsError

# C0 controls but tab and line ends, DEL, C1 controls, and the two non-characters XML refuses.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def read_text(path: Path) -> str:
    """Return the file's text, refusing a missing file or one that is not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise EditionsError("file not found; create it or fix the name", path) from error
    except IsADirectoryError as error:
        raise EditionsError("is a folder, not a file", path) from error
    except OSError as error:
        raise EditionsError(f"cannot be read: {error.strerror}", path) from error
    return decode_text(data, path)


def decode_text(data: bytes, path: Path) -> str:
    """data as text: UTF-8 without byte-order mark, LF line ends, no control characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise EditionsError(
            "is not UTF-8 text; save it as UTF-8 in your editor", path, line, column
        ) from error
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    check_characters(text, path)
    return text


def check_characters(text: str, path: Path, first_line: int = 1) -> None:
    """Refuse a control character in text, naming its line and column."""
    found = CONTROL.search(text)
    if found:
        start = found.start()
        line = first_line + text.count("\n", 0, start)
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        raise EditionsError(
            f"holds the control character U+{ord(found.group()):04X}, which no edition can "
            "show; delete it (your editor may show it as a box or not at all)",
            path,
            line,
            column,
        )


def read_source(path: Path, folder: Path, limit: int) -> bytes:
    """The bytes of a file in a publication folder, at most limit of them.

    The file must be inside the folder once every symbolic link is followed, and a regular
    file; it is opened once and its bytes are what every later step uses."""
    root = folder.resolve()
    real = path.resolve()
    if not real.is_relative_to(root):
        raise EditionsError(
            "is a symbolic link leading outside the publication folder; "
            "copy the file into the folder instead",
            path,
        )
    try:
        descriptor = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError as error:
        raise EditionsError("file not found; create it or fix the name", path) from error
    except OSError as error:
        raise EditionsError(f"cannot be read: {error.strerror}", path) from error
    with os.fdopen(descriptor, "rb") as file:
        opened = Path(f"/proc/self/fd/{descriptor}")
        # A folder on the way swapped for a link between resolve() and open(): what was
        # opened is what counts.
        if opened.exists() and not opened.resolve().is_relative_to(root):
            raise EditionsError("leads outside the publication folder", path)
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise EditionsError("is a folder, not a file", path)
        if not stat.S_ISREG(mode):
            raise EditionsError("is not a regular file; replace it with a file", path)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise EditionsError(
            f"is larger than {limit // 1024:,} KiB, the most a build reads; split or shrink it",
            path,
        )
    return data
