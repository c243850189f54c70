"""Right to left and CJK in every edition, from the frozen Arabic and Chinese publications
(tests/fixtures/arabic, tests/fixtures/chinese): the editions' own words and dates in the
language, the script's faces, mirrored layout, no tofu, and the validators."""

from __future__ import annotations

import ctypes
import io
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from editions.build import render_edition
from editions.errors import EditionsError
from editions.model.publication import Publication, load_publication
from editions.paths import TEMPLATES

from publications import FIXTURES, copy_fixture, edit
from validators import (
    axe_violations,
    epubcheck_problems,
    evaluated,
    libreoffice_text,
    nu_html_errors,
    scroll_width,
)

# Each builds two publications in every format, LibreOffice and validators among the checks.
pytestmark = pytest.mark.slow
LANGUAGES = ("arabic", "chinese")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FORMATS = ("html", "pdf", "docx", "epub")


@pytest.fixture(scope="module", params=LANGUAGES)
def publication(request: pytest.FixtureRequest) -> Publication:
    return load_publication(FIXTURES / request.param)


@pytest.fixture(scope="module")
def editions(publication: Publication, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp(publication.slug)
    return {name: render_edition(publication, name, out).path for name in FORMATS}


def text_characters(publication: Publication) -> set[str]:
    """The characters of the master's text that a reader sees (no markup, no spaces)."""
    body = publication.master_text.split("\n---\n", 1)[1]
    body = re.sub(r"\{[^}]*\}|\[@[^\]]*\]|<[^>]*>|:::", " ", body)
    return {c for c in body if not c.isspace() and c not in "#[]*-|"}


# --- Words and dates ---------------------------------------------------------------------


WORDS = {
    "arabic": ("المحتويات", "5 فبراير 2025", "الصفحة", "المنظمات المؤيِّدة"),
    "chinese": ("目录", "2025年2月5日", "第", "签署组织"),
}


def test_the_editions_own_words_and_dates_are_the_languages(
    publication: Publication, editions: dict[str, Path]
) -> None:
    contents, date, page, endorsers = WORDS[publication.slug]
    page_text = editions["html"].read_text(encoding="utf-8")
    assert f">{contents}<" in page_text and date in page_text and endorsers in page_text
    assert ">Contents<" not in page_text and "February" not in page_text
    pdf_text = pdftotext(editions["pdf"])
    assert page in pdf_text and "page 2 of" not in pdf_text
    with zipfile.ZipFile(editions["docx"]) as archive:
        footer = b"".join(archive.read(n) for n in archive.namelist() if "footer" in n)
    assert page.encode() in footer


def test_a_language_without_words_is_refused_at_its_line(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "statement")
    edit(folder / "master.md", "lang: en", "lang: de")
    with pytest.raises(EditionsError) as caught:
        load_publication(folder)
    assert "no words of their own for the language 'de'" in caught.value.message
    assert caught.value.line == 5


# --- Direction ---------------------------------------------------------------------------


def test_html_and_epub_say_the_language_and_direction(
    publication: Publication, editions: dict[str, Path]
) -> None:
    direction = "rtl" if publication.slug == "arabic" else "ltr"
    lang = publication.metadata.lang
    assert f'<html lang="{lang}" dir="{direction}">' in editions["html"].read_text("utf-8")
    with zipfile.ZipFile(editions["epub"]) as archive:
        package = next(n for n in archive.namelist() if n.endswith(".opf"))
        spine = etree.fromstring(archive.read(package)).find(".//{*}spine")
        chapters = [n for n in archive.namelist() if n.endswith(".xhtml") and "nav" not in n]
        root = etree.fromstring(archive.read(chapters[-1]))
    assert spine.get("page-progression-direction") == direction
    assert root.get("dir") == direction and root.get("lang") == lang


def test_the_epub_hangs_every_numbered_question_as_the_flagship_does(editions) -> None:
    """A heading with a number is a question to the EPUB's stylesheet (h1.question), though
    its master does not say so: the number hangs and the words are lighter."""
    with zipfile.ZipFile(editions["epub"]) as archive:
        chapters = [n for n in archive.namelist() if n.endswith(".xhtml") and "/text/" in n]
        headings = [
            heading
            for name in chapters
            for heading in etree.fromstring(archive.read(name)).iter("{*}h1")
            if heading.find("{*}span[@class='qnum']") is not None
        ]
    assert len(headings) >= 2
    assert all("question" in heading.get("class", "").split() for heading in headings)


def test_a_table_is_ruled_and_follows_the_text_direction(tmp_path: Path) -> None:
    """The Arabic table, as the HTML shows it: a rule under its header row and around it,
    its first column on the right."""
    html = render_edition(load_publication(FIXTURES / "arabic"), "html", tmp_path).path
    found = evaluated(
        html,
        """(() => {
          const table = document.querySelector('main table');
          const [first, second] = table.querySelectorAll('th');
          const style = (e, p) => getComputedStyle(e).getPropertyValue(p);
          return [style(first, 'border-bottom-style'), style(table, 'border-top-style'),
                  first.getBoundingClientRect().left > second.getBoundingClientRect().left];
        })()""",
    )
    assert found == ["solid", "solid", True]


def test_no_character_is_left_alone_on_the_titles_last_line_on_a_phone(tmp_path: Path) -> None:
    """The Chinese title at 375 px: its lines balanced, the last not one character long."""
    html = render_edition(load_publication(FIXTURES / "chinese"), "html", tmp_path).path
    widths = evaluated(
        html,
        """(() => {
          const range = document.createRange();
          range.selectNodeContents(document.querySelector('h1'));
          const lines = new Map();
          for (const r of range.getClientRects()) {
            lines.set(Math.round(r.top), (lines.get(Math.round(r.top)) || 0) + r.width);
          }
          return [...lines.values()];
        })()""",
        width=375,
    )
    assert len(widths) >= 2
    assert min(widths) > max(widths) / 3, widths


def test_a_left_to_right_reference_keeps_its_direction_in_arabic(tmp_path: Path) -> None:
    arabic = load_publication(FIXTURES / "arabic")
    html = render_edition(arabic, "html", tmp_path).path
    assert 'class="csl-entry" dir="ltr"' in html.read_text("utf-8")
    text = libreoffice_text(render_edition(arabic, "docx", tmp_path).path, tmp_path)
    assert "Internet Governance Forum. 2024. Internet Governance Forum 2024 Outcomes." in text


def test_the_pdf_runs_its_page_furniture_from_the_languages_side(editions, publication) -> None:
    document = pdfium.PdfDocument(editions["pdf"])
    page = document[1]
    width = page.get_width()
    textpage = page.get_textpage()
    words = WORDS[publication.slug][2]
    found = textpage.search(words)
    start = found.get_next()
    assert start is not None
    left, *_ = textpage.get_charbox(start[0])
    # The page number stands at the end of the line: the left in Arabic, the right in Chinese.
    assert (left < width / 2) == (publication.slug == "arabic")
    with pikepdf.open(editions["pdf"]) as pdf:
        assert str(pdf.Root.Lang) == publication.metadata.lang


def test_the_docx_sets_directions_languages_and_faces(editions, publication) -> None:
    with zipfile.ZipFile(editions["docx"]) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
    fonts = styles.find(f".//{W}docDefaults//{W}rFonts")
    assert fonts.get(f"{W}cs") == "Noto Naskh Arabic"
    assert fonts.get(f"{W}eastAsia") == "Noto Serif CJK SC"  # the text's; headings' Sans
    heading = styles.find(f".//{W}style[@{W}styleId='Heading1']//{W}rFonts")
    assert heading.get(f"{W}eastAsia") == "Noto Sans CJK SC"
    paragraphs = body.findall(f".//{W}p")
    runs = [(r, "".join(r.itertext())) for r in body.iter(f"{W}r")]
    if publication.slug == "arabic":
        bidi = [p for p in paragraphs if p.find(f"{W}pPr/{W}bidi") is not None]
        assert len(bidi) >= len(paragraphs) - 1  # all but the English reference
        arabic = [r for r, text in runs if re.search("[\u0600-\u06ff]", text)]
        assert arabic and all(r.find(f"{W}rPr/{W}rtl") is not None for r in arabic)
        assert all(r.find(f"{W}rPr/{W}lang").get(f"{W}bidi") == "ar" for r in arabic)
        tables = body.findall(f".//{W}tbl")
        assert tables and all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in tables)
        # An address in an Arabic paragraph is closed by a left-to-right mark, so that its
        # final slash stays at its end (as dir="ltr" does in the HTML).
        addresses = [
            link
            for p in bidi
            for link in p.iter(f"{W}hyperlink")
            if "".join(link.itertext()).startswith("https://")
        ]
        assert addresses
        assert all("".join(link.getnext().itertext()) == "\u200e" for link in addresses)
    else:
        han = [r for r, text in runs if re.search("[\u4e00-\u9fff]", text)]
        assert han and all(r.find(f"{W}rPr/{W}lang").get(f"{W}eastAsia") == "zh-CN" for r in han)
        assert not any(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)


# --- No tofu -----------------------------------------------------------------------------


def test_every_character_of_the_pdf_is_drawn_by_a_font_that_has_it(editions) -> None:
    """pdfium names the font of every character; that font, as embedded, maps it."""
    cmaps = embedded_pdf_cmaps(editions["pdf"])
    document = pdfium.PdfDocument(editions["pdf"])
    checked, missing = 0, []
    for page in document:
        textpage = page.get_textpage()
        for index in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
            character = chr(code)
            if character.isspace() or code < 0x20 or not code:
                continue
            font = font_name(textpage, index)
            checked += 1
            if code not in cmaps.get(font, {}):
                missing.append((character, font))
    assert checked > 300
    assert missing == []
    fonts = subprocess.run(
        ["pdffonts", str(editions["pdf"])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded


def test_the_html_and_epub_embed_faces_that_cover_every_character(editions, publication) -> None:
    characters = text_characters(publication)
    page = editions["html"].read_text("utf-8")
    html_fonts = [
        TTFont(io.BytesIO(__import__("base64").b64decode(data)))
        for data in re.findall(r"data:font/(?:ttf|otf);base64,([A-Za-z0-9+/=]+)", page)
    ]
    assert uncovered(characters, html_fonts) == set()
    with zipfile.ZipFile(editions["epub"]) as archive:
        epub_fonts = [
            TTFont(io.BytesIO(archive.read(n)))
            for n in archive.namelist()
            if n.endswith((".ttf", ".otf"))
        ]
    assert uncovered(characters, epub_fonts) == set()
    # Cut down to the text: four CJK faces (serif and sans, regular and bold) of ~60 KB each
    # for the Chinese publication, where one whole face is over 10 MB.
    size = editions["epub"].stat().st_size
    assert size < 500_000, f"the EPUB is {size} bytes: its faces are not cut down"


def test_the_docx_names_faces_that_cover_its_scripts(editions, publication) -> None:
    from editions.adapters.fonts import Face, locate_face

    with zipfile.ZipFile(editions["docx"]) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    fonts = styles.find(f".//{W}docDefaults//{W}rFonts")
    faces = {key: fonts.get(f"{W}{key}") for key in ("ascii", "cs", "eastAsia")}
    files = {}
    for key, family in faces.items():
        path, index = locate_face(Face(family, "Regular", 400, False))
        files[key] = TTFont(path, fontNumber=index)
    characters = text_characters(publication)
    arabic = {c for c in characters if "\u0600" <= c <= "\u06ff"}
    han = {c for c in characters if "\u4e00" <= c <= "\u9fff"}
    assert uncovered(arabic, [files["cs"]]) == set()
    assert uncovered(han, [files["eastAsia"]]) == set()
    assert arabic or han


@pytest.mark.parametrize("reader", ["pdftotext", "pdfium"])
def test_text_copied_out_of_the_pdf_reads_in_the_order_written(
    publication, editions, reader
) -> None:
    """Each paragraph and heading comes out of the PDF in reading order, through poppler and
    through pdfium: Arabic with its ligatures (lam-alef, lam-yeh) the right way round and its
    marks (shadda, tanween) on their letters; Chinese as written. Compared are the script's
    own words: both readers order embedded Latin and digits by their own rules (README)."""
    text = unicodedata.normalize("NFC", copied_text(editions["pdf"], reader))
    blocks = [words_of(block, publication.slug) for block in text_blocks(publication)]
    blocks = [block for block in blocks if block]
    assert len(blocks) > 6
    copied = words_of(text, publication.slug)
    assert [block for block in blocks if block not in copied] == []
    if publication.slug == "arabic":
        assert "عامًا" in text and "للإنترنت" in text and "على" in text
        if reader == "pdfium":  # pdftotext does not mirror brackets (README)
            assert unicodedata.normalize("NFC", "المنظمات المؤيِّدة (3)") in text


def test_an_arabic_phrase_in_an_english_page_copies_out_through_pdftotext(tmp_path: Path) -> None:
    """Arabic in bold, in a link and in a note of an English publication: poppler reads each
    word the right way round, marks on their letters. (pdfium reverses such a phrase's words
    and cuts marked ones in a left-to-right line: README.)"""
    folder = copy_fixture(tmp_path / "mixed")
    phrase = "**خلال عشرين عامًا**, [للإنترنت](https://example.org/)[^n]\n\n[^n]: تشغّل المؤيِّدة."
    edit(folder / "master.md", "An answer citing", f"In Arabic: {phrase}\n\nAn answer citing")
    pdf = render_edition(load_publication(folder), "pdf", tmp_path / "out").path
    copied = words_of(copied_text(pdf, "pdftotext"), "arabic").split()
    for word in ("خلال", "عشرين", "عامًا", "للإنترنت", "تشغّل", "المؤيِّدة"):
        assert unicodedata.normalize("NFC", word) in copied


def test_marks_drawn_as_paths_look_as_the_glyphs_did(tmp_path: Path) -> None:
    """The Arabic PDF's marks, taken out of the text and drawn as outlines, are where
    WeasyPrint drew them: its pages look the same before and after, at 300 dpi."""
    from editions.formats.pdf.finish import finish_pdf
    from editions.formats.pdf.renderer import PdfRenderer
    from editions.formats.pdf.writer import write_pdf

    arabic = load_publication(FIXTURES / "arabic")
    as_drawn = tmp_path / "as-drawn.pdf"
    allowed = [arabic.folder, TEMPLATES]
    markup = PdfRenderer.markup(arabic)
    write_pdf(markup, as_drawn, arabic.folder, allowed, b"0" * 32, arabic.master)
    mended = tmp_path / "mended.pdf"
    mended.write_bytes(as_drawn.read_bytes())
    assert b" Ts" in pdf_contents(as_drawn)  # WeasyPrint raises marks in the text
    finish_pdf(mended, arabic.master)
    assert mended.read_bytes() != as_drawn.read_bytes()
    assert b" Ts" not in pdf_contents(mended)  # the marks are no longer text
    before, after = pdfium.PdfDocument(as_drawn), pdfium.PdfDocument(mended)
    assert len(before) == len(after)
    for one, other in zip(before, after, strict=True):
        ink, changed = differing_pixels(one, other)
        assert changed <= ink * 0.01, (changed, ink)


def test_a_pdf_without_right_to_left_text_is_left_as_it_was(tmp_path: Path) -> None:
    from editions.formats.pdf.finish import finish_pdf
    from editions.formats.pdf.right_to_left import mend_right_to_left_text

    publication = load_publication(FIXTURES / "chinese")
    chinese = render_edition(publication, "pdf", tmp_path).path
    data = chinese.read_bytes()
    with pikepdf.open(chinese) as pdf:
        assert not mend_right_to_left_text(pdf)
    finish_pdf(chinese, publication.master)
    assert chinese.read_bytes() == data


# --- Validators --------------------------------------------------------------------------


@pytest.mark.slow
def test_the_validators_report_nothing(editions, tmp_path: Path) -> None:
    assert nu_html_errors(editions["html"]) == []
    assert axe_violations(editions["html"]) == []
    assert axe_violations(editions["html"], color_scheme="dark", width=375) == []
    assert scroll_width(editions["html"], 375) <= 375  # no line overflows a phone
    counts, messages = epubcheck_problems(editions["epub"], tmp_path / "epubcheck.json")
    assert counts == [0, 0, 0], messages
    info = subprocess.run(["pdfinfo", str(editions["pdf"])], capture_output=True, text=True)
    assert re.search(r"Tagged:\s+yes", info.stdout)
    from test_pdf import (
        test_every_link_annotation_hangs_from_a_link_element,
        test_the_machine_checkable_pdf_ua_basics_hold,
    )

    test_every_link_annotation_hangs_from_a_link_element(editions["pdf"])
    test_the_machine_checkable_pdf_ua_basics_hold(editions["pdf"])


# --- helpers -----------------------------------------------------------------------------


def copied_text(path: Path, reader: str) -> str:
    """The PDF's text as a reader copies it, without the bidi controls pdftotext adds."""
    if reader == "pdftotext":
        text = pdftotext(path)
    else:
        text = "\n".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(path))
    return re.sub("[\u200e\u200f\u202a-\u202e]", "", text)


def text_blocks(publication: Publication) -> list[str]:
    """The readable text of each paragraph, plain block and heading of the body."""
    from editions.adapters.pandoc_ast import plain_text, walk

    blocks = []
    for node in walk(publication.ast()["blocks"]):
        if node["t"] in ("Para", "Plain"):
            blocks.append(plain_text(node["c"]))
        elif node["t"] == "Header":
            blocks.append(plain_text(node["c"][2]))
    return blocks


def words_of(text: str, slug: str) -> str:
    """The text's words in the publication's script, in order: Arabic letters and marks, a
    space between words; Han and kana with the spaces and everything else left out. In
    Unicode's composed form: a letter's marks in either of their canonically equal orders
    (shadda and kasra, kasra and shadda) are the same text."""
    text = unicodedata.normalize("NFC", text)
    if slug == "arabic":
        arabic = "".join(c if is_arabic_letter(c) else " " for c in text)
        return " ".join(arabic.split())
    return "".join(c for c in text if "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff")


def is_arabic_letter(character: str) -> bool:
    return (
        unicodedata.name(character, "").startswith("ARABIC")
        and unicodedata.category(character)[0] in "LM"
    )


def differing_pixels(one: pdfium.PdfPage, other: pdfium.PdfPage) -> tuple[int, int]:
    """How many pixels of one's page are ink, and how many differ strongly on other's."""
    from PIL import ImageChops

    first = one.render(scale=300 / 72).to_pil().convert("L")
    second = other.render(scale=300 / 72).to_pil().convert("L")
    ink = first.point(lambda v: 255 if v < 128 else 0).histogram()[255]
    difference = ImageChops.difference(first, second).point(lambda v: 255 if v > 96 else 0)
    return ink, difference.histogram()[255]


def pdf_contents(path: Path) -> bytes:
    with pikepdf.open(path) as pdf:
        return b"".join(page.Contents.read_bytes() for page in pdf.pages)


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def embedded_pdf_cmaps(path: Path) -> dict[str, dict[int, str]]:
    """Each embedded font's name (without its subset tag) and the characters its installed
    file maps: a shaped script's subset keeps the glyphs of its letters' forms, not the
    letters' own, so the whole face is what says whether it has a letter."""
    installed = {}
    listing = subprocess.run(
        ["fc-list", "-f", "%{fullname}\t%{file}\t%{index}\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in listing.splitlines():
        names, file, index = line.split("\t")
        for name in names.split(","):
            for written in (name, name.removesuffix(" Regular")):
                installed.setdefault(written.replace(" ", "-"), (file, int(index or 0)))
    cmaps: dict[str, dict[int, str]] = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                name = str(font.BaseFont).lstrip("/").split("+")[-1]
                if name not in cmaps:
                    file, index = installed[name]
                    cmaps[name] = TTFont(file, fontNumber=index).getBestCmap() or {}
    return cmaps


def font_name(textpage: pdfium.PdfTextPage, index: int) -> str:
    flags = ctypes.c_int()
    size = pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, None, 0, ctypes.byref(flags))
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buffer, size, ctypes.byref(flags))
    return buffer.value.decode("utf-8").split("+")[-1]


def uncovered(characters: set[str], fonts: list[TTFont]) -> set[str]:
    mapped: set[int] = set()
    for font in fonts:
        mapped |= set((font.getBestCmap() or {}).keys())
    return {c for c in characters if ord(c) not in mapped}
