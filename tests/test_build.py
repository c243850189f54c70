"""Build orchestration: publications parsed once, editions rendered side by side in workers."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import editions.build as build_module
from editions.build import LONGEST_FIRST, Edition, build, longest_first
from editions.errors import EditionsError
from editions.formats import FORMATS, NAMES
from editions.paths import PROJECT

from publications import FIXTURES, copy_fixture


def answer_ctrl_c() -> None:
    """In the child: SIGINT as in a terminal, even when the tests run in a background job
    (which ignores it, and Python then keeps ignoring it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def partial_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part")]


@pytest.fixture
def two_publications(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    for slug in ("alpha", "beta"):
        copy_fixture(source / slug)
    return source


def test_each_format_names_its_renderer():
    assert [format.load().name for format in FORMATS] == list(NAMES)


def test_the_longest_editions_start_first():
    assert longest_first(["html", "docx", "pdf", "epub"]) == ["pdf", "epub", "docx", "html"]
    assert longest_first(["html", "epub"]) == ["epub", "html"]
    assert sorted(LONGEST_FIRST) == sorted(NAMES)


def test_a_parallel_build_writes_every_edition_and_reports_each(
    two_publications: Path, tmp_path: Path
):
    reported: list[Edition] = []
    editions = build(
        two_publications, tmp_path / "out", formats=["html"], jobs=2, report=reported.append
    )
    assert [(e.slug, e.format) for e in editions] == [("alpha", "html"), ("beta", "html")]
    assert sorted(reported, key=lambda e: e.slug) == editions
    for edition in editions:
        assert edition.path == tmp_path / "out" / edition.slug / f"{edition.slug}.html"
        assert edition.path.stat().st_size == edition.size > 0
    assert partial_files(tmp_path / "out") == []


def test_a_parallel_build_writes_what_a_serial_one_writes(two_publications: Path, tmp_path: Path):
    build(two_publications, tmp_path / "parallel", formats=["html"], jobs=2)
    build(two_publications, tmp_path / "serial", formats=["html"], jobs=1)
    for slug in ("alpha", "beta"):
        parallel = (tmp_path / "parallel" / slug / f"{slug}.html").read_bytes()
        assert parallel == (tmp_path / "serial" / slug / f"{slug}.html").read_bytes()


def test_a_publication_that_does_not_load_fails_once_the_others_are_written(
    two_publications: Path, tmp_path: Path
):
    master = two_publications / "beta" / "master.md"
    master.write_text(master.read_text(encoding="utf-8").replace("@source-2024", "@nonesuch"))
    with pytest.raises(EditionsError, match="unknown citation key: @nonesuch"):
        build(two_publications, tmp_path / "out", formats=["html"], jobs=2)
    assert (tmp_path / "out" / "alpha" / "alpha.html").is_file()
    assert partial_files(tmp_path / "out") == []


def test_an_edition_that_fails_in_a_worker_fails_the_build_after_the_others(
    two_publications: Path, tmp_path: Path
):
    (tmp_path / "out" / "alpha" / "alpha.html").mkdir(parents=True)  # cannot be replaced
    with pytest.raises(EditionsError, match=r"alpha\.html: a folder is in the way"):
        build(two_publications, tmp_path / "out", formats=["html"], jobs=2)
    assert (tmp_path / "out" / "beta" / "beta.html").is_file()
    assert partial_files(tmp_path / "out") == []


def long_publication(source: Path, times: int) -> str:
    """The flagship with its questions repeated: a PDF that takes seconds to lay out."""
    text = (FIXTURES / "tccm-wsis20" / "master.md").read_text(encoding="utf-8")
    start = text.index("\n# [1.]")
    end = text.index("\n# [11.]")
    extra = "".join(
        re.sub(r"\{#(q\d+)", rf"{{#\1-{k}", text[start:end]).replace("](#q11)", f"](#q11-{k})")
        for k in range(2, times + 1)
    )
    folder = source / "long"
    copy_fixture(folder, "tccm-wsis20")
    (folder / "master.md").write_text(text[:end] + extra + text[end:], encoding="utf-8")
    return "long"


@pytest.mark.slow
def test_ctrl_c_stops_the_workers_and_leaves_no_partial_file(tmp_path: Path):
    slug = long_publication(tmp_path / "source", times=6)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "editions", "build", slug, "--format", "pdf,html"]
    places = ["--source", str(tmp_path / "source"), "--out", str(out)]
    process = subprocess.Popen(
        [*command, *places],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=answer_ctrl_c,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # the HTML edition: the PDF is being laid out now
    assert first.startswith("html "), first
    process.send_signal(signal.SIGINT)
    interrupted = time.monotonic()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip() == "error: interrupted"
    assert not (out / slug / f"{slug}.pdf").exists()
    assert partial_files(out) == []
    assert time.monotonic() - interrupted < 10  # the layout was stopped, not waited for
    assert _processes_naming(str(out)) == []  # no worker left behind


def _processes_naming(text: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("makeflags", [" -j1", "busy jobserver"])
def test_under_make_j1_or_a_busy_jobserver_editions_are_rendered_in_turn(
    two_publications: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, makeflags: str
):
    read, write = os.pipe()  # a jobserver with no free slot
    try:
        if makeflags == "busy jobserver":
            makeflags = f" -j2 --jobserver-auth={read},{write}"
        monkeypatch.setenv("MAKEFLAGS", makeflags)

        def no_workers(*args: object) -> None:
            raise AssertionError("workers were started")

        monkeypatch.setattr(build_module, "_build_side_by_side", no_workers)
        editions = build(two_publications, tmp_path / "out", formats=["html", "docx"])
    finally:
        os.close(read)
        os.close(write)
    assert [(e.slug, e.format) for e in editions] == [
        ("alpha", "html"),
        ("alpha", "docx"),
        ("beta", "html"),
        ("beta", "docx"),
    ]


def test_with_a_free_slot_the_editions_are_rendered_side_by_side(
    two_publications: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    read, write = os.pipe()
    os.write(write, b"+")
    monkeypatch.setenv("MAKEFLAGS", f" -j2 --jobserver-auth={read},{write}")
    try:
        editions = build(two_publications, tmp_path / "out", formats=["html", "pdf"])
        assert os.read(read, 1) == b"+"  # the borrowed slot is given back
    finally:
        os.close(read)
        os.close(write)
    assert [(e.slug, e.format) for e in editions] == [
        ("alpha", "html"),
        ("alpha", "pdf"),
        ("beta", "html"),
        ("beta", "pdf"),
    ]
