"""Reading a publication's source files as UTF-8 text, with errors a user can act on."""

from __future__ import annotations

from pathlib import Path

from editions.errors import EditionsError


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
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise EditionsError(
            "is not UTF-8 text; save it as UTF-8 in your editor", path, line, column
        ) from error
    return text.removeprefix("\ufeff")
