"""The test publications: frozen fixtures under tests/fixtures/, and copies of them to change."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

FLAGSHIP = "tccm-wsis20"
PROJECT = Path(__file__).resolve().parent.parent
# What the Makefile reads, linked from the project into a copy; the publications are its own.
LINKED = ("Makefile", "pyproject.toml", "requirements.lock", "scripts", "editions", "templates")
TESTS = Path(__file__).parent
DATA = TESTS / "data"
FIXTURES = TESTS / "fixtures"


def copy_fixture(destination: Path, fixture: str = "minimal") -> Path:
    """A copy of the frozen fixture publication at destination (a folder named as its slug)."""
    shutil.copytree(FIXTURES / fixture, destination)
    return destination


def edit(path: Path, old: str, new: str, count: int = -1) -> None:
    """Replace old by new (every time, or count times) in the text file at path; old must be
    there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def add_to_body(folder: Path, snippet: str) -> None:
    """Put snippet in the minimal fixture's master, before its first answer."""
    edit(folder / "master.md", "An answer citing", f"{snippet}\n\nAn answer citing")


def project_copy(root: Path, slugs: tuple[str, ...]) -> Path:
    """A copy of the project at root, its code and venv linked, with the minimal fixture as
    each of the slugs under source/: where a test runs `make` as a user would."""
    if not (PROJECT / ".venv" / ".installed").is_file():
        raise AssertionError("run the tests through `make test`, which sets up .venv")
    root.mkdir(parents=True, exist_ok=True)
    for name in (*LINKED, ".venv"):
        (root / name).symlink_to(PROJECT / name)
    for slug in slugs:
        copy_fixture(root / "source" / slug)
    return root


def without_make_variables() -> dict[str, str]:
    """The environment, less what an outer make passes on (the tests may run under make)."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}


def make(project: Path, *arguments: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`make ARGUMENTS` in project, as a user types it."""
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=project,
        env=without_make_variables(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
