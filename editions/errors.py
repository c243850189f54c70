"""The one kind of error a user sees: a file, a place in it, and what to do."""

from __future__ import annotations

import sys
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


def missing_module(error: ModuleNotFoundError) -> str | None:
    """What to say when a dependency is missing: this is not the project's Python. None for
    a module of the package itself (a bug, not a setup problem)."""
    name = (error.name or "").split(".")[0]
    if not name or name == "editions":
        return None
    return (
        f"the Python module '{name}' is not installed for {sys.executable}; run the project's "
        "Python, `.venv/bin/python -m editions ...`, or `make` (which sets .venv up)"
    )


class CombinedError(EditionsError):
    """Several problems found at once (every limit exceeded), printed one line each."""

    def __init__(self, errors: list[EditionsError]) -> None:
        first = errors[0]
        super().__init__(first.message, first.path, first.line, first.column)
        self.errors = errors

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (type(self), (self.errors,))

    def __str__(self) -> str:
        # The command line prefixes the first line with 'error: '; the others carry it here.
        return "\nerror: ".join(EditionsError.__str__(error) for error in self.errors)
