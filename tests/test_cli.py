"""The command line: a progress line per edition, one clear line and a non-zero exit on failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from editions.output import atomic_path

from publications import copy_fixture


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "editions", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    copy_fixture(folder / "minimal")
    return folder


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_a_build_prints_one_progress_line_per_edition(source: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run("build", "--source", str(source), "--out", str(out), "--format", "html")
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert line.startswith("html ") and "minimal.html" in line and "KiB" in line
    assert line.endswith(" s")
    assert (out / "minimal" / "minimal.html").is_file()


# (arguments, fragments of the one error line); {source} and {out} are filled in.
CLI_ERRORS = [
    (["build", "--format", "rtf"], ["unknown format 'rtf'", "html, pdf, docx, epub"]),
    (["build", "nonesuch"], ["unknown publication 'nonesuch'", "minimal"]),
    (["build", "--out", "{blocked}/out"], ["cannot create the output folder", "blocked"]),
]


@pytest.mark.parametrize(("arguments", "fragments"), CLI_ERRORS)
def test_cli_errors_are_one_line(source: Path, tmp_path: Path, arguments, fragments):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be", encoding="utf-8")
    filled = [a.format(blocked=blocked) for a in arguments]
    if "--out" not in filled:
        filled += ["--out", str(tmp_path / "out")]
    result = run(*filled[:1], "--source", str(source), *filled[1:])
    assert_one_line_error(result, *fragments)


def test_broken_input_names_file_and_line(source: Path, tmp_path: Path):
    endorsers = source / "minimal" / "endorsers.yaml"
    endorsers.write_text("- name: One\n- name: [Two\n", encoding="utf-8")
    result = run("build", "--source", str(source), "--out", str(tmp_path / "out"), "-f", "html")
    assert_one_line_error(result, f"{endorsers}:2:", "broken YAML")


def test_debug_shows_the_traceback(source: Path, tmp_path: Path):
    (source / "minimal" / "endorsers.yaml").write_text("- name: [x\n", encoding="utf-8")
    result = run("--debug", "build", "--source", str(source), "--out", str(tmp_path / "o"))
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_a_failed_build_leaves_the_last_good_edition_untouched(source: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run("build", "--source", str(source), "--out", str(out), "-f", "html").returncode == 0
    edition = out / "minimal" / "minimal.html"
    good = edition.read_bytes()
    master = source / "minimal" / "master.md"
    master.write_text(master.read_text("utf-8").replace("[@source-2024]", "[@gone]"), "utf-8")
    result = run("build", "--source", str(source), "--out", str(out), "-f", "html")
    assert result.returncode == 1
    assert edition.read_bytes() == good
    assert sorted(p.name for p in edition.parent.iterdir()) == ["minimal.html"]


def test_an_interrupted_write_leaves_no_partial_file(tmp_path: Path):
    target = tmp_path / "edition.pdf"
    target.write_bytes(b"the last good edition")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_bytes(b"half an edi")
        raise RuntimeError("the renderer failed")
    assert target.read_bytes() == b"the last good edition"
    assert [p.name for p in tmp_path.iterdir()] == ["edition.pdf"]
