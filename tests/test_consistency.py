"""One decision per point, applied in every edition: section breaks, block quotations, the
HTML's own faces, its measure and its contents on a phone."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest

from editions.adapters import templates

BREAK = r'content: "\*\\2002\*\\2002\*"'


def rule(stylesheet: str, selector: str) -> str:
    """The declarations of the first rule whose selector list is exactly selector."""
    found = re.search(r"(?:^|\n)" + re.escape(selector) + r" \{([^}]*)\}", stylesheet)
    assert found, selector
    return found[1]


@pytest.mark.parametrize("name", ["html/screen.css", "pdf/print.css", "epub/book.css"])
def test_a_section_break_is_three_spaced_asterisks(name):
    assert re.search(BREAK, rule(templates.read(name), "hr::after"))


def test_the_docx_section_break_is_the_same_three_asterisks(built):
    document = docx.Document(str(built("docx")))
    breaks = [p.text for p in document.paragraphs if p.style.name == "Section Break"]
    assert breaks and set(breaks) == {"* * *"}


@pytest.mark.parametrize("name", ["html/screen.css", "pdf/print.css", "epub/book.css"])
def test_block_quotations_are_roman_everywhere(name):
    assert "italic" not in rule(templates.read(name), "blockquote")


def test_the_docx_block_quotation_is_roman(built):
    assert docx.Document(str(built("docx"))).styles["Block Text"].font.italic is not True


def test_the_epub_accent_is_the_themes(built, flagship):
    with zipfile.ZipFile(built("epub")) as archive:
        [css] = [archive.read(n).decode() for n in archive.namelist() if n.endswith(".css")]
    assert "#3a74d0" not in css
    assert f"color: {flagship.theme.accent};" in css


def test_the_html_embeds_the_themes_faces_cut_down(built, flagship):
    page = Path(built("html")).read_text(encoding="utf-8")
    faces = re.findall(
        r'@font-face \{\s*font-family: "([^"]+)";\s*font-style: (\w+);\s*font-weight: (\d+);'
        r'\s*src: url\("data:font/ttf;base64,[A-Za-z0-9+/=]+"\) format\("truetype"\);',
        page,
    )
    expected = {
        (f.family, "italic" if f.italic else "normal", str(f.weight))
        for f in flagship.theme.faces()
    }
    assert set(faces) == expected


@pytest.mark.slow
def test_the_html_sets_its_own_faces_a_66_character_measure_and_a_phone_sized_contents(built):
    from validators import browser

    path = Path(built("html"))
    page = browser().new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(path.as_uri())
        page.evaluate("document.fonts.ready")
        loaded = page.evaluate(
            "[...document.fonts].filter(f => f.status == 'loaded').map(f => f.family)"
        )
        assert {"Noto Serif", "Noto Sans"} <= set(loaded)
        measure = page.evaluate(
            """() => {
              const out = [];
              for (const p of document.querySelectorAll('main p')) {
                const r = document.createRange(); r.selectNodeContents(p);
                const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
                const length = p.textContent.replace(/\\s+/g, ' ').length;
                if (lines >= 4) out.push(length / (lines - 0.5));
              }
              out.sort((a, b) => a - b);
              return out[Math.floor(out.length / 2)];
            }"""
        )
        assert 60 <= measure <= 70, measure
        page.set_viewport_size({"width": 375, "height": 812})
        height = page.evaluate("document.querySelector('#contents').getBoundingClientRect().height")
        assert height <= 812, height
    finally:
        page.close()


@pytest.mark.parametrize(
    ("name", "selector", "accent"),
    [
        ("html/screen.css", ".kicker", "var(--accent)"),
        ("pdf/print.css", ".kicker", "var(--accent)"),
        ("epub/book.css", ".titlepage .kicker", "var(--theme-accent)"),
    ],
)
def test_the_addressee_line_is_in_the_accent_everywhere(name, selector, accent):
    assert f"color: {accent};" in rule(templates.read(name), selector)
