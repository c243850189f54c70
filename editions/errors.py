"""The one kind of error a user sees: a file, a place in it, and what to do."""

from __future__ import annotations

from pathlib import Path


class EditionsError(Exception):
    """A problem with the input or the environment, reported as one line."""

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        # Keep the location when the error crosses a process boundary.
        return (type(self), (self.message, self.path, self.line, self.column))

    def location(self) -> str:
        if self.path is None:
            return ""
        place = str(self.path)
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message
