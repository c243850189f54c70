"""Running the pandoc binary that pypandoc_binary ships; one place for its arguments."""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from editions.errors import EditionsError
from editions.paths import TEMPLATES


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


# Pandoc's fixed options, as defaults files layered in the order given (templates/pandoc/).
DEFAULTS = TEMPLATES / "pandoc"


def run_pandoc(
    args: list[str],
    stdin: str | bytes = b"",
    defaults: Sequence[str] = (),
    cwd: Path | None = None,
    source_date: dt.datetime | None = None,
) -> bytes:
    """Run pandoc with our data directory (never the user's), the named defaults files
    (templates/pandoc/NAME.yaml, later ones over earlier ones) and args; return its stdout.

    source_date pins the dates pandoc writes into DOCX and EPUB files (and their zip
    entries) through SOURCE_DATE_EPOCH, so that a build never depends on the clock.
    """
    layers = [f"--defaults={DEFAULTS / name}.yaml" for name in defaults]
    command = [pandoc_path(), f"--data-dir={DEFAULTS}", *layers, *args]
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    env = {**os.environ, "TZ": "UTC", "LC_ALL": "C.UTF-8"}
    env.pop("SOURCE_DATE_EPOCH", None)
    if source_date is not None:
        env["SOURCE_DATE_EPOCH"] = str(int(source_date.timestamp()))
    result = subprocess.run(command, input=data, capture_output=True, cwd=cwd, env=env, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit code {result.returncode}"
        raise EditionsError(f"pandoc failed: {detail}")
    return result.stdout
