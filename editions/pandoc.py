"""Running the pandoc binary that pypandoc_binary ships; one place for its arguments."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from .errors import EditionsError
from .paths import TEMPLATES


@functools.cache
def pandoc_path() -> str:
    import pypandoc  # imported here: only builds need it

    return pypandoc.get_pandoc_path()


@functools.cache
def pandoc_version() -> str:
    output = subprocess.run(
        [pandoc_path(), "--version"], capture_output=True, text=True, check=True
    ).stdout
    return output.split()[1]


def run_pandoc(args: list[str], stdin: str | bytes = b"", cwd: Path | None = None) -> bytes:
    """Run pandoc with our data directory (never the user's) and return its stdout."""
    command = [pandoc_path(), f"--data-dir={TEMPLATES / 'pandoc'}", *args]
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    result = subprocess.run(command, input=data, capture_output=True, cwd=cwd, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit code {result.returncode}"
        raise EditionsError(f"pandoc failed: {detail}")
    return result.stdout
