"""The Makefile: one build per publication, make's -j shared with the builds, -n only prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from publications import make, project_copy

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return project_copy(tmp_path, ("alpha", "beta"))


def test_make_n_prints_one_build_per_publication_and_builds_nothing(project: Path):
    planned = make(project, "-n", "-j2", "all")
    assert planned.returncode == 0, planned.stderr
    builds = [line for line in planned.stdout.splitlines() if "-m editions build" in line]
    assert len(builds) == 2
    assert {line.split()[4] for line in builds} == {"alpha", "beta"}
    assert not (project / "build").exists()


def test_make_j2_builds_every_publication_and_then_has_nothing_to_do(project: Path):
    built = make(project, "-j2", "all", "FORMATS=html docx")
    assert built.returncode == 0, built.stderr
    for slug in ("alpha", "beta"):
        for suffix in ("html", "docx"):
            assert (project / "build" / slug / f"{slug}.{suffix}").is_file()
    again = make(project, "-j2", "all", "FORMATS=html docx")
    assert again.returncode == 0
    assert "Nothing to be done" in again.stdout
