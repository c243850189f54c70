"""`editions new SLUG` and `make new`: a publication to start from, which builds at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_make import project  # noqa: F401  (the fixture: a copy of the project)

from editions.model.metadata import parse_metadata

from publications import copy_fixture, make


def editions(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "editions", *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_a_new_publication_builds_at_once(tmp_path: Path):
    source = tmp_path / "source"
    created = editions("new", "joint-statement", "--source", str(source), "--title", 'A: "b"')
    assert created.returncode == 0, created.stderr
    folder = source / "joint-statement"
    assert sorted(p.name for p in folder.iterdir()) == [
        "endorsers.yaml",
        "master.md",
        "references.json",
    ]
    master = folder / "master.md"
    metadata = parse_metadata(master.read_text(encoding="utf-8"), master)[0]
    assert metadata.title == 'A: "b"'
    assert metadata.identifier.startswith("urn:uuid:")
    built = editions("build", "--source", str(source), "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert len(list((tmp_path / "out" / "joint-statement").iterdir())) == 4


def test_two_new_publications_have_their_own_identifiers(tmp_path: Path):
    source = tmp_path / "source"
    for slug in ("one", "two"):
        assert editions("new", slug, "--source", str(source)).returncode == 0
    identifiers = {
        parse_metadata((source / s / "master.md").read_text(encoding="utf-8"), source)[0].identifier
        for s in ("one", "two")
    }
    assert len(identifiers) == 2


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("existing", "a publication of that name exists"),
        ("My Statement", "a slug is lowercase letters, digits and hyphens"),
        ("-x", "a slug is lowercase letters"),
        ("../outside", "a slug is lowercase letters"),
        ("all", "'all' is a make target"),
        ("pdf", "'pdf' is a make target"),
    ],
)
def test_a_slug_taken_unsafe_or_a_make_target_is_refused(tmp_path: Path, slug: str, message):
    source = tmp_path / "source"
    copy_fixture(source / "existing")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    refused = editions("new", "--source", str(source), "--", slug)
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and message in refused.stderr, refused.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_sign_ons_go_into_a_new_publications_endorsers_file(tmp_path: Path):
    source = tmp_path / "source"
    assert editions("new", "statement", "--source", str(source)).returncode == 0
    form = tmp_path / "form.csv"
    form.write_text("Organisation,Website\nExample Registry,https://example.org/\n", "utf-8")
    endorsers = source / "statement" / "endorsers.yaml"
    header = endorsers.read_text(encoding="utf-8")
    imported = editions(
        "endorsers", "import", "statement", str(form), "--write", "--source", str(source)
    )
    assert imported.returncode == 0, imported.stderr
    text = endorsers.read_text(encoding="utf-8")
    assert text.startswith(header) and "name: Example Registry" in text


@pytest.mark.slow
def test_make_new_then_make_all_builds_it(project: Path):  # noqa: F811
    created = make(project, "new", "SLUG=fresh-statement")
    assert created.returncode == 0, created.stderr
    built = make(project, "all")
    assert built.returncode == 0, built.stderr
    assert len(list((project / "build" / "fresh-statement").iterdir())) == 4
