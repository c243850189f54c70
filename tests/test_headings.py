"""Headings as every edition sets them: a short form for the navigation, a URL kept out of
it, a question's number apart from its lighter words."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from editions.build import render_edition
from editions.model.publication import load_publication

from publications import copy_fixture, edit

SHORT = (
    '# [2.]{.qnum} A second, very long question about everything at once? {#q2 short="Everything"}'
)
# Enough text for the second question's answer to run onto a page of its own.
FILLER = "An answer that goes on, as answers do, over more than one page. \n\n" * 40
ADDRESS = "# [3.]{.qnum} A question naming <https://example.org/a/page> [@source-2024] {#q3}"


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("headings")
    folder = copy_fixture(root / "source" / "minimal")
    edit(
        folder / "master.md",
        "The following members",
        f"{SHORT}\n\nTwo.\n\n{FILLER}{ADDRESS}\n\nThree.\n\nThe following members",
    )
    publication = load_publication(folder)
    out = root / "build"
    return {f: render_edition(publication, f, out).path for f in ("html", "pdf", "docx", "epub")}


def test_the_model_takes_the_short_form_and_leaves_the_address_out(editions):
    publication = load_publication(
        next(iter(editions.values())).parent.parent.parent / "source" / "minimal"
    )
    titles = {e.identifier: e.title for e in publication.contents}
    assert titles["q2"] == "Everything"
    assert titles["q3"] == "A question naming"


def test_the_html_contents_show_the_short_form_and_no_address(editions):
    page = editions["html"].read_text(encoding="utf-8")
    contents = page[page.index('<nav class="toc"') : page.index("</nav>")]
    assert '<span class="toc-title">Everything</span>' in contents
    assert "example.org" not in contents
    assert "very long question" in page  # the heading itself keeps its words


def test_the_pdf_outline_shows_the_short_form_and_no_address(editions):
    titles = [item.title for item in pypdf.PdfReader(editions["pdf"]).outline]
    assert "2. Everything" in titles and "3. A question naming" in titles
    assert not any("example.org" in t for t in titles)


def test_the_pdf_runs_the_short_form_at_the_head_of_its_sections_pages(editions):
    """The running head's end names the section when its heading has a short form; the
    pages of a section without one run only the publication's title."""
    import pypdfium2

    document = pypdfium2.PdfDocument(editions["pdf"])
    heads = {}
    for number, page in enumerate(document):
        height = page.get_height()
        textpage = page.get_textpage()
        # The head: the strip above the text block.
        heads[number] = textpage.get_text_bounded(0, height - 60, page.get_width(), height)
    with_section = [n for n, head in heads.items() if "2. Everything" in head]
    assert with_section, heads
    # Not the title page, the contents page or the page question 1 (no short form) opens.
    assert min(with_section) >= 3
    assert all("A minimal publication" in heads[n] for n in with_section)
    assert not any("A question naming" in head for head in heads.values())


def test_the_epub_navigation_shows_the_short_form_and_no_address(editions):
    with zipfile.ZipFile(editions["epub"]) as archive:
        nav = archive.read("EPUB/nav.xhtml").decode()
    assert '<span class="toc-title">Everything</span>' in nav
    assert "example.org" not in nav


def test_the_docx_contents_show_the_short_form_and_the_heading_sets_the_address_apart(editions):
    document = docx.Document(str(editions["docx"]))
    entries = [p.text for p in document.paragraphs if p.style.name == "toc 1"]
    assert "2.\tEverything" in entries and "3.\tA question naming" in entries
    heading = next(
        p for p in document.paragraphs if p.style.name == "Heading 1" and p.text.startswith("3.")
    )
    styles = [r.style.name for r in heading.runs]
    assert styles[0] == "Question Number" and "Question Text" in styles
    assert "<w:br/>" in heading._p.xml  # the address on a line of its own
    assert document.styles["Question Number"].font.bold is True
    assert document.styles["Question Text"].font.bold is False
