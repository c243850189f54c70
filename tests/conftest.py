"""Shared fixtures and helpers: the frozen publications under tests/fixtures/, copies of them
to change, and the flagship built once per test session and format."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from editions.build import render_edition
from editions.model.publication import Publication, load_publication
from editions.paths import SOURCE

FLAGSHIP = "tccm-wsis20"
TESTS = Path(__file__).parent
DATA = TESTS / "data"
FIXTURES = TESTS / "fixtures"


def copy_fixture(destination: Path, fixture: str = "minimal") -> Path:
    """A copy of the frozen fixture publication at destination (a folder named as its slug)."""
    shutil.copytree(FIXTURES / fixture, destination)
    return destination


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace old by new in the text file at path; old must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def add_to_body(folder: Path, snippet: str) -> None:
    """Put snippet in the minimal fixture's master, before its first answer."""
    edit(folder / "master.md", "An answer citing", f"{snippet}\n\nAn answer citing")


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A copy of the minimal fixture, as source/minimal/ under a fresh folder."""
    return copy_fixture(tmp_path / "source" / "minimal")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", help="rewrite the golden files (make goldens)"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "golden: compares an edition with its golden file")


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def flagship() -> Publication:
    return load_publication(SOURCE / FLAGSHIP)


@pytest.fixture(scope="session")
def seed() -> str:
    return (DATA / f"{FLAGSHIP}.seed.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built(flagship: Publication, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """built(format) -> the flagship's edition in that format, rendered once per session."""
    out_root = tmp_path_factory.mktemp("editions")
    cache: dict[str, Path] = {}

    def get(format_name: str) -> Path:
        if format_name not in cache:
            cache[format_name] = render_edition(flagship, format_name, out_root).path
        return cache[format_name]

    return get


@pytest.fixture(scope="session")
def citation_texts(flagship: Publication) -> list[str]:
    """The citations as rendered in the text, to set aside when comparing with the seed."""
    from editions.adapters.pandoc_ast import plain_text, walk

    return sorted(
        {plain_text(node["c"][1]) for node in walk(flagship.ast()["blocks"]) if node["t"] == "Cite"}
    )
