"""What a newcomer met on deadline day: typos that published quietly, a verify that cried
wolf, messages that did not say what to do, as the commands a user types meet them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from editions.formats import NAMES
from editions.paths import PROJECT

from publications import edit, make, project_copy


def run(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "editions", *args],
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )


def build(source: Path, out: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return run("build", "--source", str(source), "--out", str(out), *args, **kwargs)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# --- 7. typos that published quietly ----------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "read"),
    [
        ("endorsers.yml", "endorsers.yaml"),
        ("endorsers.csv", "endorsers.yaml"),
        ("Endorsers.yaml", "endorsers.yaml"),
        ("endorser.yaml", "endorsers.yaml"),
        ("endorsres.yaml", "endorsers.yaml"),
        ("references.bib", "references.json"),
        ("Master.md", "master.md"),
        ("master.markdown", "master.md"),
    ],
)
def test_a_near_miss_of_a_name_the_build_reads_is_an_error_naming_it(
    minimal: Path, tmp_path: Path, typo: str, read: str
):
    misnamed = minimal / typo
    if typo.casefold().startswith("master"):
        (minimal / "master.md").rename(misnamed)  # the text itself misnamed
    else:
        shutil.copy(minimal / read, misnamed)  # beside the file it was meant to be
    line = one_error_line(build(minimal.parent, tmp_path / "build", "-f", "html"))
    assert line.startswith(f"error: {misnamed}: the build does not read '{typo}'")
    assert f"rename or convert it to {read}" in line
    assert not (tmp_path / "build" / "minimal").exists()


def test_files_unlike_any_the_build_reads_are_left_alone(minimal: Path, tmp_path: Path):
    for name in ("notes.txt", "README.md", "masthead.png", "endorsers.png", ".master.md.swp"):
        (minimal / name).write_bytes(b"")
    result = build(minimal.parent, tmp_path / "build", "-f", "html")
    assert result.returncode == 0, result.stderr


def test_a_place_for_endorsers_without_an_endorsers_file_is_an_error(minimal: Path, tmp_path: Path):
    (minimal / "endorsers.yaml").unlink()
    line = one_error_line(build(minimal.parent, tmp_path / "build", "-f", "html"))
    assert line.startswith(f"error: {minimal / 'master.md'}:15: the master has a place for")
    assert "no endorsers.yaml" in line and "remove the '::: {#endorsers}' block" in line


@pytest.mark.parametrize("empty", ["", "# none yet\n", "[]\n"])
def test_a_place_for_endorsers_with_an_empty_list_is_an_error(
    minimal: Path, tmp_path: Path, empty: str
):
    (minimal / "endorsers.yaml").write_text(empty, encoding="utf-8")
    line = one_error_line(build(minimal.parent, tmp_path / "build", "-f", "html"))
    assert line.startswith(f"error: {minimal / 'endorsers.yaml'}:1: lists no endorsers")


def test_a_publication_without_endorsers_has_no_place_for_them(minimal: Path, tmp_path: Path):
    (minimal / "endorsers.yaml").unlink()
    edit(minimal / "master.md", "The following members endorse it:\n\n::: {#endorsers}\n:::\n", "")
    result = build(minimal.parent, tmp_path / "build", "-f", "html")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "build" / "minimal" / "minimal.html").read_text(encoding="utf-8")
    assert "endorse it" not in page and 'id="endorsers"' not in page


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project, as tests/test_make.py makes one, with the minimal fixture."""
    return project_copy(tmp_path, ("minimal",))


@pytest.mark.slow
def test_make_all_refuses_a_misnamed_master_instead_of_skipping_it(project: Path):
    folder = project / "source" / "minimal"
    (folder / "master.md").rename(folder / "Master.md")
    result = make(project, "all", "FORMATS=html")
    assert result.returncode != 0
    assert "error: source/minimal/Master.md: the build does not read 'Master.md'" in (result.stderr)
    assert not (project / "build").exists()


# --- 9. messages that say what to do ----------------------------------------------------


def test_a_missing_identifier_prints_a_line_to_paste_and_why(minimal: Path, tmp_path: Path):
    master = minimal / "master.md"
    edit(master, "identifier: urn:uuid:00000000-0000-4000-8000-000000000001\n", "")
    line = one_error_line(build(minimal.parent, tmp_path / "build", "-f", "html"))
    assert "needs an 'identifier' field" in line and "the EPUB and the PDF" in line
    found = re.search(r"'(identifier: urn:uuid:([0-9a-f-]{36}))'", line)
    assert found and uuid.UUID(found[2]).version == 4
    edit(master, "lang: en\n", f"lang: en\n{found[1]}\n")  # pasted as printed
    result = build(minimal.parent, tmp_path / "build", "-f", "html")
    assert result.returncode == 0, result.stderr


def test_a_python_without_the_dependencies_says_which_python_to_use(tmp_path: Path):
    # -S: no site-packages, as the system's Python run in place of the project's.
    result = subprocess.run(
        [sys.executable, "-S", "-m", "editions", "build"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    line = one_error_line(result)
    assert "is not installed for" in line
    assert "`.venv/bin/python -m editions ...`" in line and "`make`" in line


def test_a_dependency_missing_when_a_renderer_imports_it_says_the_same(
    minimal: Path, tmp_path: Path
):
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "weasyprint.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'weasyprint'\", name='weasyprint')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(shadow)}
    for jobs in ("1", "2"):  # one edition after another, or side by side
        result = build(minimal.parent, tmp_path / "build", "-f", "pdf,html", "-j", jobs, env=env)
        line = one_error_line(result)
        assert "the Python module 'weasyprint' is not installed" in line, jobs


def test_the_help_says_what_the_tool_does_its_defaults_and_examples():
    result = run("--help", cwd=PROJECT)
    assert result.returncode == 0
    assert f"one edition per format: {', '.join(NAMES)}." in result.stdout
    assert "read from source/" in result.stdout and "written to build/" in result.stdout
    examples = result.stdout.split("examples:\n", 1)[1].splitlines()
    assert examples[0].split()[:4] == [".venv/bin/python", "-m", "editions", "build"]
    assert examples[1].split()[:4] == [".venv/bin/python", "-m", "editions", "serve"]


# --- 8. verify: out of date is not a reproducibility failure -------------------------------


def verify(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return run("verify", "--source", str(source), "--out", str(out))


@pytest.mark.slow
def test_verify_after_an_edit_says_out_of_date_and_what_to_run(minimal: Path, tmp_path: Path):
    out = tmp_path / "build"
    assert build(minimal.parent, out).returncode == 0
    with (minimal / "master.md").open("a", encoding="utf-8") as master:
        master.write("\nA sentence added after the build.\n")
    result = verify(minimal.parent, out)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[:3] for line in lines[:4]] == [["OUT", "OF", "DATE"]] * 4
    assert all(f"{minimal / 'master.md'} was saved after it was built" in x for x in lines[:4])
    assert "DIFFERENT" not in result.stdout and "offset" not in result.stdout
    assert "not a reproducibility failure): run `make all`, then `make verify`" in lines[-1]


@pytest.mark.slow
def test_verify_of_a_rebuild_that_differs_shows_where_and_a_short_diff(
    minimal: Path, tmp_path: Path
):
    """Editions that are not what their sources build: the edition shows an edit the sources,
    restored to an earlier time, no longer have, as a nondeterministic build would."""
    out = tmp_path / "build"
    master = minimal / "master.md"
    original = master.read_text(encoding="utf-8")
    # As many words as before: the DOCX's word count (docProps/app.xml) stays the same.
    edit(master, "An answer citing", "Not reproduced citing")
    assert build(minimal.parent, out).returncode == 0
    master.write_text(original, encoding="utf-8")
    earlier = min(p.stat().st_mtime for p in (out / "minimal").iterdir()) - 3600
    for path in minimal.iterdir():
        os.utime(path, (earlier, earlier))
    result = verify(minimal.parent, out)
    assert result.returncode == 1
    verdicts = {
        line.split()[1].rsplit(".", 1)[1].rstrip(":"): line
        for line in result.stdout.splitlines()
        if line.startswith("DIFFERENT")
    }
    assert sorted(verdicts) == ["docx", "epub", "html", "pdf"], result.stdout
    assert verdicts["html"].endswith("differs") and ": line " in verdicts["html"]
    assert re.search(r": page \d+ differs in its text$", verdicts["pdf"])
    assert verdicts["docx"].endswith(": zip entry word/document.xml differs in content")
    assert ": zip entry EPUB/text/" in verdicts["epub"]
    assert "offset" not in result.stdout
    diffs = result.stdout.split("DIFFERENT")[1:]
    for diff in diffs:
        shown = [line for line in diff.splitlines()[1:] if line.startswith("    ")]
        assert 3 <= len(shown) <= 21, diff
        assert any(x.startswith("    -") and "Not reproduced" in x for x in shown), diff
        assert any(x.startswith("    +") and "An answer citing" in x for x in shown), diff
    assert "4 differ from a rebuild of the same sources" in result.stdout
