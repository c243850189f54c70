"""The live publications under source/, as their users leave them: every edition valid, and
every edition listing the publication's own endorsers in its own order.

No golden reads them (the goldens come from tests/fixtures/), so adding an endorser or
editing a word, as the README tells users to, breaks no test; an edit that makes an edition
invalid does."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import lxml.html
import pikepdf
import pytest
from lxml import etree

from editions.model.publication import find_publications, load_publication
from editions.paths import PROJECT, SOURCE

from validators import (
    ace_violations,
    axe_violations,
    epubcheck_problems,
    nu_html_errors,
    require,
)

pytestmark = pytest.mark.slow

LIVE = find_publications(SOURCE)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every live publication built once, as `make all` builds it."""
    folder = tmp_path_factory.mktemp("live")
    command = [sys.executable, "-m", "editions", "build", "--source", str(SOURCE)]
    result = subprocess.run(
        [*command, "--out", str(folder)], cwd=PROJECT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return folder


def test_there_is_a_live_publication():
    assert LIVE


@pytest.mark.parametrize("slug", LIVE)
def test_the_epub_passes_epubcheck(out: Path, slug: str, tmp_path: Path):
    counts, messages = epubcheck_problems(out / slug / f"{slug}.epub", tmp_path / "report.json")
    assert counts == [0, 0, 0], messages


@pytest.mark.parametrize("slug", LIVE)
def test_the_epub_passes_daisy_ace(out: Path, slug: str):
    assert ace_violations(out / slug / f"{slug}.epub") == []


@pytest.mark.parametrize("slug", LIVE)
def test_the_html_passes_the_nu_checker_and_axe(out: Path, slug: str):
    page = out / slug / f"{slug}.html"
    assert nu_html_errors(page) == []
    assert axe_violations(page) == []


@pytest.mark.parametrize("slug", LIVE)
def test_the_pdf_is_tagged_with_every_font_embedded(out: Path, slug: str):
    path = out / slug / f"{slug}.pdf"
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert "/StructTreeRoot" in pdf.Root
    fonts = subprocess.run(
        [require("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts


@pytest.mark.parametrize("slug", LIVE)
def test_libreoffice_converts_the_docx(out: Path, slug: str, tmp_path: Path):
    profile = (tmp_path / "profile").as_uri()
    command = [require("soffice"), f"-env:UserInstallation={profile}", "--headless"]
    command += ["--convert-to", "txt:Text", "--outdir", str(tmp_path)]
    result = subprocess.run(
        [*command, str(out / slug / f"{slug}.docx")], capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0 and (tmp_path / f"{slug}.txt").exists(), result.stderr


@pytest.mark.parametrize("slug", LIVE)
def test_every_edition_lists_the_endorsers_in_order(out: Path, slug: str):
    names = [endorser.name for endorser in load_publication(SOURCE / slug).endorsers]
    for format_name, listed in _listed_endorsers(out / slug, slug, names[0]).items():
        assert listed == names, format_name
    # The PDF's text as a reader copies it (pdftotext's reading order): every name, in order.
    text = subprocess.run(
        [require("pdftotext"), str(out / slug / f"{slug}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words, start = " ".join(text.split()), 0
    for name in names:
        found = words.find(" ".join(name.split()), start)
        assert found >= 0, f"{name!r} is not in the PDF's text after the name before it"
        start = found + len(name)


def _listed_endorsers(folder: Path, slug: str, first: str) -> dict[str, list[str]]:
    """The endorsers' names as the HTML, EPUB and DOCX editions list them."""
    page = lxml.html.parse(str(folder / f"{slug}.html")).getroot()
    listed = {"html": [_text(li) for li in page.xpath("//*[@id='endorsers']//li")]}
    with zipfile.ZipFile(folder / f"{slug}.epub") as book:
        for name in sorted(n for n in book.namelist() if n.endswith(".xhtml")):
            items = etree.fromstring(book.read(name)).xpath(
                "//h:*[@id='endorsers']//h:li", namespaces={"h": "http://www.w3.org/1999/xhtml"}
            )
            listed.setdefault("epub", []).extend(_text(li) for li in items)
    listed["docx"] = _docx_list_from(docx.Document(str(folder / f"{slug}.docx")), first)
    return listed


def _docx_list_from(document: docx.document.Document, first: str) -> list[str]:
    """The items of the Word list whose first item reads first."""
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == first)
    items = []
    for paragraph in paragraphs[start:]:
        if paragraph._p.pPr is None or paragraph._p.pPr.numPr is None:
            break
        items.append(paragraph.text)
    return items


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())
