"""Shared fixtures and helpers: the frozen publications under tests/fixtures/, copies of them
to change, and the flagship built once per test session and format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from editions.build import render_edition
from editions.model.publication import Publication, load_publication

from publications import DATA, FIXTURES, FLAGSHIP, copy_fixture


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
    """The flagship frozen as a fixture (tests/fixtures/tccm-wsis20, the seed's words as the
    user gave them): the goldens' and the format tests' source. The live publications under
    source/ are checked by tests/test_live.py, so that editing one breaks no test here."""
    return load_publication(FIXTURES / FLAGSHIP)


@pytest.fixture(scope="session")
def seed() -> str:
    return (DATA / f"{FLAGSHIP}.seed.txt").read_text(encoding="utf-8")


def _builder(publication: Publication, out_root: Path) -> Callable[[str], Path]:
    cache: dict[str, Path] = {}

    def get(format_name: str) -> Path:
        if format_name not in cache:
            cache[format_name] = render_edition(publication, format_name, out_root).path
        return cache[format_name]

    return get


@pytest.fixture(scope="session")
def built(flagship: Publication, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """built(format) -> the frozen flagship's edition in that format, rendered once."""
    return _builder(flagship, tmp_path_factory.mktemp("editions"))


@pytest.fixture(scope="session")
def citation_texts(flagship: Publication) -> list[str]:
    """The citations as rendered in the text, to set aside when comparing with the seed."""
    from editions.adapters.pandoc_ast import plain_text, walk

    return sorted(
        {plain_text(node["c"][1]) for node in walk(flagship.ast()["blocks"]) if node["t"] == "Cite"}
    )
