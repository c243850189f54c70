"""Draft and final: a draft says DRAFT, with its version and date, in every edition and on
every page, and is never released; a final edition says nothing of the kind."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import docx
import lxml.html
import pikepdf
import pytest

from editions.build import render_edition
from editions.cli import main
from editions.errors import EditionsError
from editions.formats import BY_NAME, NAMES
from editions.model.publication import load_publication

from publications import copy_fixture, edit, make, project_copy
from validators import axe_violations, epubcheck_problems, nu_html_errors

NOTICE = "DRAFT \u2014 version 1.1, 2 January 2024"


def set_status(folder: Path, status: str, version: str = "1.1") -> Path:
    """The minimal fixture with a version and the given status line."""
    lines = f'version: "{version}"\n' if version else ""
    lines += f"status: {status}\n" if status else ""
    edit(folder / "master.md", "lang: en\n", f"lang: en\n{lines}")
    return folder


def editions_of(folder: Path, out: Path, status: str | None = None) -> dict[str, Path]:
    publication = load_publication(folder, status=status)
    return {name: render_edition(publication, name, out).path for name in NAMES}


@pytest.fixture
def draft(minimal: Path, tmp_path: Path) -> dict[str, Path]:
    return editions_of(set_status(minimal, "draft"), tmp_path / "build")


def pdf_pages_text(path: Path) -> list[str]:
    pages = len(pikepdf.open(path).pages)
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


def zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith((".xml", ".xhtml", ".opf", ".ncx", ".css", ".rels"))
        )


def text_in_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page) -> int:
    """How many form XObjects showing text the page draws inside /Artifact marked content:
    what a screen reader and the structure tree leave out."""

    def shows_text(xobject: pikepdf.Object) -> bool:
        if xobject.get("/Subtype") != "/Form":
            return False
        operators = {str(op) for _, op in pikepdf.parse_content_stream(xobject)}
        inner = xobject.get("/Resources", {}).get("/XObject", {})
        return bool(operators & {"TJ", "Tj"}) or any(shows_text(x) for x in inner.values())

    found, depth = 0, []
    xobjects = page.Resources.get("/XObject", {})
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BMC", "BDC"):
            depth.append(str(operands[0]) == "/Artifact" or any(depth))
        elif name == "EMC":
            depth.pop()
        elif name == "Do" and any(depth) and shows_text(xobjects[operands[0]]):
            found += 1
    return found


def test_no_status_is_final_and_a_draft_notice_omits_a_missing_version(minimal: Path):
    assert load_publication(minimal).metadata.status == "final"
    set_status(minimal, "draft", version="")
    metadata = load_publication(minimal).metadata
    assert metadata.is_draft
    assert metadata.draft_notice == "DRAFT \u2014 2 January 2024"


def test_an_unknown_status_is_an_error_naming_its_line(minimal: Path):
    set_status(minimal, "drafty")
    with pytest.raises(EditionsError) as error:
        load_publication(minimal)
    assert error.value.line == 7
    assert "status: draft" in error.value.message and "status: final" in error.value.message


def test_status_given_to_the_build_overrides_the_master(minimal: Path):
    set_status(minimal, "draft")
    assert load_publication(minimal, status="final").metadata.status == "final"
    assert load_publication(minimal, status="draft").metadata.is_draft


def test_status_final_written_out_changes_no_edition(minimal: Path, tmp_path: Path):
    absent = editions_of(minimal, tmp_path / "absent")
    copy = set_status(copy_fixture(tmp_path / "written" / "minimal"), "final", version="")
    written = editions_of(copy, tmp_path / "written-build")
    for name in NAMES:
        assert absent[name].read_bytes() == written[name].read_bytes(), name


def test_a_draft_pdf_says_draft_on_every_page_with_the_watermark_an_artifact(
    draft: dict[str, Path],
):
    pages = pdf_pages_text(draft["pdf"])
    assert len(pages) > 1
    for number, text in enumerate(pages, 1):
        assert NOTICE in text, f"page {number}"
    with pikepdf.open(draft["pdf"]) as pdf:
        assert all(text_in_artifacts(pdf, page) == 1 for page in pdf.pages)


def test_a_draft_html_opens_with_the_notice(draft: dict[str, Path]):
    page = lxml.html.parse(str(draft["html"])).getroot()
    header = page.body.find("header")
    first = header[0]
    assert first.get("class") == "draft-notice" and first.get("role") == "note"
    assert first.text_content() == NOTICE


def test_every_content_document_of_a_draft_epub_opens_with_the_notice(draft: dict[str, Path]):
    with zipfile.ZipFile(draft["epub"]) as archive:
        documents = [n for n in archive.namelist() if n.startswith("EPUB/text/")]
        assert len(documents) >= 3
        for name in documents:
            body = lxml.html.fromstring(archive.read(name)).find("body")
            if "cover-page" in (body.get("class") or ""):
                continue
            assert body[0].get("class") == "draft-notice", name
            assert body[0].text_content() == NOTICE, name


def test_every_header_of_a_draft_docx_starts_with_the_notice_in_its_style(
    draft: dict[str, Path],
):
    document = docx.Document(str(draft["docx"]))
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            first = header.paragraphs[0]
            assert first.text == NOTICE
            assert first.style.name == "Draft Notice"
            assert not first.runs[0].bold and first.runs[0].font.color.rgb is None  # no direct
    assert 'string="DRAFT"' in zip_text(draft["docx"])  # the watermark


def test_a_final_says_draft_nowhere(minimal: Path, tmp_path: Path):
    final = editions_of(set_status(minimal, "draft"), tmp_path / "build", status="final")
    texts = {
        "pdf": "".join(pdf_pages_text(final["pdf"])),
        "html": final["html"].read_text(encoding="utf-8"),
        "epub": zip_text(final["epub"]),
        "docx": zip_text(final["docx"]),
    }
    for name, text in texts.items():
        assert "DRAFT" not in text.upper(), name
    assert "version 1.1, 2 January 2024" in texts["pdf"]  # the colophon
    with pikepdf.open(final["pdf"]) as pdf:
        assert all(text_in_artifacts(pdf, page) == 0 for page in pdf.pages)
        assert str(pdf.docinfo["/Version"]) == "1.1"
    # The version in every edition's document properties (the date is there already).
    assert '<meta property="schema:version">1.1</meta>' in texts["epub"]
    assert docx.Document(str(final["docx"])).core_properties.version == "1.1"


def test_release_refuses_a_draft_and_writes_nothing(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    set_status(minimal, "draft")
    source, out = minimal.parent, tmp_path / "build"
    assert main(["build", "--source", str(source), "--out", str(out)]) == 0
    before = sorted(p.name for p in (out / "minimal").iterdir())
    capsys.readouterr()
    assert main(["release", "--source", str(source), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith(f"error: {minimal / 'master.md'}:7: is a draft")
    assert "'status: final' in master.md" in error
    assert sorted(p.name for p in (out / "minimal").iterdir()) == before


@pytest.mark.slow
def test_a_draft_passes_the_validators(draft: dict[str, Path], tmp_path: Path):
    assert nu_html_errors(draft["html"]) == []
    for scheme in ("light", "dark"):
        assert axe_violations(draft["html"], color_scheme=scheme) == []
    counts, messages = epubcheck_problems(draft["epub"], tmp_path / "epubcheck.json")
    assert counts == [0, 0, 0], messages


@pytest.mark.slow
def test_libreoffice_shows_the_draft_docx_notice_on_every_page(
    draft: dict[str, Path], tmp_path: Path
):
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo"),
            str(draft["docx"]),
        ],
        capture_output=True,
        check=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pages = pdf_pages_text(tmp_path / "lo" / "minimal.pdf")
    assert pages and all(NOTICE in text for text in pages)


@pytest.mark.slow
def test_make_release_refuses_a_draft(tmp_path: Path):
    project_copy(tmp_path, ("minimal",))
    set_status(tmp_path / "source" / "minimal", "draft")
    released = make(tmp_path, "release", "FORMATS=html")
    assert released.returncode != 0
    assert "is a draft" in released.stderr and "status: final" in released.stderr
    assert not (tmp_path / "build" / "minimal" / "SHA256SUMS").exists()
    assert not (tmp_path / "build" / "minimal" / "manifest.json").exists()


def test_release_refuses_editions_built_as_drafts_from_a_final_master(
    minimal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source, out = minimal.parent, tmp_path / "build"
    arguments = ["--source", str(source), "--out", str(out)]
    for name in NAMES:
        assert main(["build", *arguments, "--status", "draft", "--format", name]) == 0
        capsys.readouterr()
        assert main(["release", *arguments]) == 1
        error = capsys.readouterr().err
        assert f"minimal{BY_NAME[name].suffix}: was built as a draft" in error, name
        assert not (out / "minimal" / "SHA256SUMS").exists()
        assert main(["build", *arguments, "--format", name]) == 0
    capsys.readouterr()
    assert main(["release", *arguments]) == 0
    assert (out / "minimal" / "SHA256SUMS").is_file()
