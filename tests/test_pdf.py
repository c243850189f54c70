"""The PDF edition, read back with tools other than the one that wrote it: poppler (pdfinfo,
pdffonts), pikepdf and pypdf for the structure, pypdfium2 for the text and the pictures."""

from __future__ import annotations

import ctypes
import dataclasses
import json
import os
import re
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pikepdf
import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageChops, ImageStat

from editions.errors import EditionsError
from editions.formats.pdf import renderer as pdf_renderer
from editions.formats.pdf import writer as pdf_writer
from editions.formats.pdf.fetcher import FolderFetcher
from editions.formats.pdf.markup import print_markup
from editions.formats.pdf.renderer import PdfRenderer
from editions.model.publication import Publication, load_publication

from goldens import ACTUAL, GOLDENS, assert_goldens
from publications import FIXTURES, copy_fixture, edit
from sentences import missing_sentences, normalise, seed_endorsers
from validators import require

INTRODUCTION = "The following TCCM members have endorsed this statement:"
MM = 72 / 25.4
# The running header sits in the top margin, the page number in the bottom one.
HEADER_BAND = 22 * MM
FOOTER_BAND = 23 * MM
# Pictures compared with reviewed goldens: 0 is identical, a shifted line of text is ~5.
PICTURE_DPI = 50
PICTURE_TOLERANCE = 1.5


@dataclass(frozen=True)
class PageText:
    header: str
    body: str
    footer: str


@pytest.fixture(scope="module")
def pdf_path(built) -> Path:
    return built("pdf")


@pytest.fixture(scope="module")
def pages(pdf_path: Path) -> list[PageText]:
    return page_texts(pdf_path)


@pytest.fixture(scope="module")
def text(pages: list[PageText]) -> str:
    """The body text of every page, the lines joined as a reader would read them."""
    return joined_lines("\r\n".join(page.body.rstrip(" ") for page in pages))


@pytest.fixture(scope="module")
def info(pdf_path: Path) -> dict[str, str]:
    return pdfinfo(pdf_path)


@pytest.fixture(scope="module")
def reader(pdf_path: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(pdf_path)


def page_texts(path: Path) -> list[PageText]:
    document = pdfium.PdfDocument(path)
    try:
        texts = []
        for page in document:
            width, height = page.get_size()
            textpage = page.get_textpage()
            texts.append(
                PageText(
                    header=textpage.get_text_bounded(0, height - HEADER_BAND, width, height),
                    body=textpage.get_text_bounded(0, FOOTER_BAND, width, height - HEADER_BAND),
                    footer=textpage.get_text_bounded(0, 0, width, FOOTER_BAND),
                )
            )
        return texts
    finally:
        document.close()


# An address shown in full, with the lines it is broken over: each goes on with one of
# the characters a line of an address may start with (Chicago 14.18).
WRAPPED_ADDRESS = re.compile(r"https?://\S+(?:\r?\n[/~.,_?#%=&-]\S*)*")


def joined_lines(page_text: str) -> str:
    """Undo the line breaks: WeasyPrint's own hyphens (U+2010) go, a real hyphen pdfium
    found at a line end (it marks it \\x02) stays, an address broken before '/', '-', '.'
    and the like is rejoined."""
    page_text = page_text.replace("\u2010\r\n", "").replace("\x02", "-")
    page_text = WRAPPED_ADDRESS.sub(lambda address: re.sub(r"\r?\n", "", address[0]), page_text)
    return page_text.replace("\r\n", " ")


def pdftotext(path: Path) -> str:
    """The text as poppler's pdftotext reads it in its default mode (no -layout): the order a
    reader who selects and copies it most often gets."""
    return subprocess.run(
        [require("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def marked_content_texts(path: Path) -> dict[tuple[int, int], str]:
    """(page index, MCID) -> the text of that marked content, read by pdfium."""
    document = pdfium.PdfDocument(path)
    texts: dict[tuple[int, int], str] = {}
    try:
        for index, page in enumerate(document):
            textpage = page.get_textpage()
            for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(item.raw)
                if mcid < 0:
                    continue
                size = pdfium_c.FPDFTextObj_GetText(item.raw, textpage.raw, None, 0)
                buffer = ctypes.create_string_buffer(size)
                target = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
                pdfium_c.FPDFTextObj_GetText(item.raw, textpage.raw, target, size)
                piece = buffer.raw[: max(size - 2, 0)].decode("utf-16-le")
                texts[index, mcid] = texts.get((index, mcid), "") + piece
    finally:
        document.close()
    return texts


def tagged_texts(path: Path, role: str) -> list[str]:
    """The text of every structure element of the given role ('/LI'), in the order of the
    tag tree (the order assistive technology reads)."""
    content = marked_content_texts(path)
    found = []
    with pikepdf.open(path) as pdf:
        page_index = {page.objgen: index for index, page in enumerate(pdf.pages)}

        def text(element: pikepdf.Dictionary, page: int | None) -> str:
            if "/Pg" in element:
                page = page_index[element.Pg.objgen]
            kids = element.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            pieces = []
            for kid in kids:
                if isinstance(kid, int):
                    pieces.append(content.get((page, int(kid)), ""))
                elif kid.get("/Type") == "/MCR":
                    kid_page = page_index[kid.Pg.objgen] if "/Pg" in kid else page
                    pieces.append(content.get((kid_page, int(kid.MCID)), ""))
                elif "/S" in kid:
                    pieces.append(text(kid, page))
            return " ".join(pieces)

        def walk(element: pikepdf.Dictionary) -> None:
            if element.get("/S") == role:
                found.append(text(element, None))
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    return found


def in_order(text: str, names: list[str]) -> list[str]:
    """The names not found in text one after another (whitespace, line ends included, read
    as one space); [] when every name is there, in order."""
    flat = " ".join(text.split())
    missing, after = [], 0
    for name in names:
        found = flat.find(" ".join(name.split()), after)
        if found < 0:
            missing.append(name)
        else:
            after = found + len(name)
    return missing


def pdfinfo(path: Path) -> dict[str, str]:
    output = subprocess.run(
        [require("pdfinfo"), "-isodates", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in output.splitlines() if ":" in line)
    )


def pdffonts(path: Path) -> list[tuple[str, str, str]]:
    """(name without its subset tag, embedded, subset) for every font."""
    output = subprocess.run(
        [require("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    fonts = []
    for line in output.splitlines()[2:]:
        fields = line.split()
        fonts.append((fields[0].split("+")[-1], fields[-5], fields[-4]))
    return fonts


def outline(reader: pypdf.PdfReader) -> list[tuple[int, int, str]]:
    """(level, page, title) for every bookmark, in order."""
    entries = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                page = reader.get_destination_page_number(item) + 1
                entries.append((level, page, item.title))

    walk(reader.outline, 1)
    return entries


def links(reader: pypdf.PdfReader) -> list[tuple[int, str]]:
    """(page, target) for every link annotation: a URI, or '#name' for an internal one."""
    found = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if action is not None and action.get("/S") == "/URI":
                found.append((number, str(action["/URI"])))
            else:
                found.append((number, f"#{annotation.get('/Dest')}"))
    return found


def destinations(reader: pypdf.PdfReader) -> dict[str, int]:
    return {
        name: reader.get_destination_page_number(destination) + 1
        for name, destination in reader.named_destinations.items()
    }


# The document as a whole


def test_the_pdf_is_tagged_pdf_ua_with_its_metadata(info, flagship, pdf_path):
    meta = flagship.metadata
    assert info["Tagged"] == "yes"
    assert info["Title"] == meta.title
    assert info["Author"] == meta.author
    assert info["Subject"] == meta.description
    assert info["Keywords"] == ", ".join(meta.keywords)
    built = flagship.build_date.strftime("%Y-%m-%dT%H:%M:%S")
    assert info["CreationDate"].startswith(built)
    assert info["ModDate"].startswith(built)
    with pikepdf.open(pdf_path) as pdf:
        assert pdf.Root.Lang == meta.lang
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
            assert xmp["dc:title"] == meta.title


def number_tree(node: pikepdf.Dictionary) -> dict[int, pikepdf.Object]:
    """The entries of a PDF number tree (the ParentTree)."""
    entries = {}
    numbers = node.get("/Nums", [])
    for i in range(0, len(numbers), 2):
        entries[int(numbers[i])] = numbers[i + 1]
    for kid in node.get("/Kids", []):
        entries.update(number_tree(kid))
    return entries


def structure_elements(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """Every structure element below element, in the order of the tag tree."""
    found = []
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.append(kid)
            found += structure_elements(kid)
    return found


def kids_of(element: pikepdf.Dictionary) -> list[pikepdf.Object]:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def test_every_link_annotation_hangs_from_a_link_element(pdf_path):
    """PDF/UA-1 (Matterhorn 28-011): each link annotation is reached from a Link element of
    the tag tree by an OBJR, and its /StructParent leads back to that element."""
    content = marked_content_texts(pdf_path)
    with pikepdf.open(pdf_path) as pdf:
        parents = number_tree(pdf.Root.StructTreeRoot.ParentTree)
        page_index = {page.objgen: index for index, page in enumerate(pdf.pages)}
        annotations, wrong = 0, []
        for number, page in enumerate(pdf.pages, start=1):
            for annotation in page.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    continue
                annotations += 1
                element = parents.get(int(annotation.get("/StructParent", -1)))
                role = None if element is None else str(element.get("/S"))
                objrs = [
                    kid.Obj.objgen
                    for kid in ([] if element is None else kids_of(element))
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                ]
                if role != "/Link" or annotation.objgen not in objrs:
                    wrong.append((number, str(annotation.get("/Contents")), role))
        assert annotations > 0
        assert wrong == []

        def text(element: pikepdf.Dictionary, page: int | None) -> str:
            if "/Pg" in element:
                page = page_index[element.Pg.objgen]
            pieces = []
            for kid in kids_of(element):
                if isinstance(kid, int):
                    pieces.append(content.get((page, int(kid)), ""))
                elif kid.get("/Type") == "/MCR":
                    pieces.append(content.get((page_index[kid.Pg.objgen], int(kid.MCID)), ""))
                elif "/S" in kid:
                    pieces.append(text(kid, page))
            return "".join(pieces)

        link_elements = [
            element
            for element in structure_elements(pdf.Root.StructTreeRoot)
            if element.get("/S") == "/Link"
        ]
        assert link_elements
        # Every Link element that holds an annotation says what it links with its text.
        annotated = [
            element
            for element in link_elements
            if any(
                isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                for kid in kids_of(element)
            )
        ]
        assert annotated
        assert [
            element.objgen
            for element in annotated
            if not text(element, None).strip() and "/Alt" not in element
        ] == []


def test_the_machine_checkable_pdf_ua_basics_hold(pdf_path):
    """What veraPDF would check first: the title shown, the language, the tab order of pages
    with annotations, every font embedded with a ToUnicode map, the document marked."""
    with pikepdf.open(pdf_path) as pdf:
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang)
        assert pdf.Root.MarkInfo.Marked is True
        assert [
            number
            for number, page in enumerate(pdf.pages, start=1)
            if page.get("/Annots") and page.get("/Tabs") != "/S"
        ] == []
        fonts = {}
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                fonts[font.objgen] = font
        assert fonts
        for font in fonts.values():
            name = str(font.get("/BaseFont"))
            assert "/ToUnicode" in font, name
            described = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
            descriptor = described.FontDescriptor
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), name


def test_the_paper_is_a4_by_default(info, flagship):
    assert flagship.metadata.paper == "a4"
    assert info["Page size"] == "595.276 x 841.89 pts (A4)"


def test_every_font_is_embedded_and_subset_and_is_noto(pdf_path):
    fonts = pdffonts(pdf_path)
    assert fonts
    assert [name for name, embedded, subset in fonts if (embedded, subset) != ("yes", "yes")] == []
    families = {name.rsplit("-", 1)[0] if name.count("-") > 1 else name for name, _, _ in fonts}
    assert families <= {"Noto-Serif", "Noto-Sans"}


def test_the_identifier_is_fixed_by_the_publication(pdf_path, flagship):
    with pikepdf.open(pdf_path) as pdf:
        first = bytes(pdf.trailer.ID[0])
    assert first == pdf_renderer.pdf_identifier(flagship)


@pytest.mark.slow
def test_two_builds_in_other_folders_zones_and_locales_are_identical(pdf_path, tmp_path):
    script = (
        "import sys; from pathlib import Path;"
        "from editions.model.publication import load_publication;"
        "from editions.formats.pdf.renderer import PdfRenderer;"
        "print(PdfRenderer().render(load_publication(Path(sys.argv[1])), Path(sys.argv[2])))"
    )
    rebuilt = subprocess.run(
        [sys.executable, "-c", script, str(FIXTURES / "tccm-wsis20"), str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "Pacific/Kiritimati", "LC_ALL": "C"},
        cwd=tmp_path,
        check=True,
    )
    second = Path(rebuilt.stdout.strip())
    assert second.parent != pdf_path.parent
    assert second.read_bytes() == pdf_path.read_bytes()


# Pages


def test_the_title_page_has_no_running_header_or_page_number(pages, flagship):
    title_page = pages[0]
    assert title_page.header.strip() == ""
    assert title_page.footer.strip() == ""
    body = normalise(joined_lines(title_page.body))
    meta = flagship.metadata
    for expected in (
        meta.title,
        meta.subtitle,
        meta.author,
        meta.display_date,
        meta.version,
        meta.consultation.name,
        meta.consultation.organiser,
        meta.consultation.url,
    ):
        assert normalise(expected) in body


def test_every_other_page_has_the_running_title_and_page_n_of_m(pages, flagship):
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        assert page.header.strip() == flagship.metadata.running_title
        assert page.footer.replace("\xa0", " ").strip() == f"page {number} of {total}"


def test_the_contents_page_lists_every_heading_with_its_page(pages, reader, flagship):
    contents = normalise(joined_lines(pages[1].body))
    assert contents.startswith("Contents")
    where = destinations(reader)
    for entry in flagship.contents:
        assert normalise(entry.title) in contents
    # The page numbers, in order, are the pages of the headings.
    numbers = [int(n) for n in re.findall(r"(?:\. )+(\d+)(?= |$)", contents)]
    assert numbers == [where[entry.identifier] for entry in flagship.contents]


def test_the_contents_page_numbers_stand_in_one_column(tmp_path):
    """A one-line entry's page number lines up with the others (a numbered question's once
    stood 2.2 em short of an unnumbered entry's)."""
    pdf = PdfRenderer().render(load_publication(FIXTURES / "minimal"), tmp_path)
    page = pdfium.PdfDocument(pdf)[1].get_textpage()
    lines: dict[int, list[tuple[str, float]]] = {}
    for index in range(page.count_chars()):
        left, bottom, right, _ = page.get_charbox(index)
        if right > left:
            lines.setdefault(round(bottom), []).append((page.get_text_range(index, 1), right))
    entries = [chars for chars in lines.values() if ". ." in "".join(c for c, _ in chars)]
    ends = [max(chars, key=lambda c: c[1]) for chars in entries]  # the leaders' lines
    numbers = [right for character, right in ends if character.isdigit()]
    assert len(numbers) == 3  # the question, the endorsers, the references
    assert max(numbers) - min(numbers) < 0.5


def test_no_heading_is_stranded_at_the_foot_of_a_page(reader, pages):
    """Each heading is followed, on its own page, by at least two lines."""
    for _, page, title in outline(reader):
        lines = [" ".join(line.split()) for line in pages[page - 1].body.split("\r\n")]
        ending = normalise(title)[-20:]
        last = next(
            i
            for i in range(len(lines))
            if ending in normalise(joined_lines(" ".join(lines[: i + 1])))
        )
        assert len([line for line in lines[last + 1 :] if line]) >= 2, title


def test_the_running_title_is_a_safe_css_string():
    assert pdf_renderer.css_string('A "quoted" \\ title') == '"A \\22 quoted\\22  \\5c  title"'


def test_the_text_is_set_at_a_readable_measure(pages):
    """Full body lines hold 60 to 75 characters (the median of the lines of 40 or more)."""
    lengths = sorted(
        len(line)
        for page in pages[2:]
        for line in page.body.split("\r\n")
        if len(line) >= 40 and ". . ." not in line
    )
    median = lengths[len(lengths) // 2]
    assert 60 <= median <= 75


# Content


def test_every_seed_sentence_is_in_the_pdf(text, seed, citation_texts):
    assert missing_sentences(text, seed, drop=citation_texts) == []


def test_the_endorsers_are_all_listed_in_the_seed_order(text, seed, flagship):
    start = text.index(INTRODUCTION) + len(INTRODUCTION)
    listed = text[start : text.index("(This article", start)]
    names = [" ".join(name.split()) for name in listed.split("•") if name.strip()]
    assert names == seed_endorsers(seed, INTRODUCTION, "(This article")
    assert names == [e.name for e in flagship.endorsers]
    assert len(names) == 22


def test_the_endorsers_are_set_in_two_columns(pdf_path, pages, flagship):
    """Each name starts in one of two columns; the first column is read before the second."""
    index = next(i for i, page in enumerate(pages) if INTRODUCTION in page.body)
    document = pdfium.PdfDocument(pdf_path)
    try:
        textpage = document[index].get_textpage()
        starts, after = [], 0
        for endorser in flagship.endorsers:
            found = textpage.search(endorser.name, index=after, match_case=True).get_next()
            assert found, endorser.name
            after = found[0] + found[1]
            left, _, _, top = textpage.get_charbox(found[0])
            starts.append((left, top))
    finally:
        document.close()
    first_column = min(left for left, _ in starts)
    in_second = [left > first_column + 50 * MM for left, _ in starts]
    assert all(
        abs(left - first_column) < 2 or second
        for (left, _), second in zip(starts, in_second, strict=True)
    )
    assert in_second == sorted(in_second)  # the first column, then the second
    assert 8 <= in_second.count(True) <= 14  # balanced by height, names kept whole
    for column in (False, True):
        tops = [top for (_, top), second in zip(starts, in_second, strict=True) if second is column]
        assert tops == sorted(tops, reverse=True)  # top to bottom


def test_every_reference_is_listed_in_order(text, built):
    html = lxml.html.parse(str(built("html"))).getroot()
    entries = [normalise(entry.text_content()) for entry in html.cssselect("#refs .csl-entry")]
    body = normalise(text)
    assert len(entries) == 10
    positions = [body.find(entry) for entry in entries]
    assert -1 not in positions, [e for e, p in zip(entries, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


HYPHENS = ("\u2010", "\u00ad")  # WeasyPrint's hyphen, a soft hyphen


def test_no_word_is_broken_by_a_hyphen_at_a_line_end(pdf_path, pages):
    """Copied or extracted, the text reads "processes", never "pro- cesses": nothing is
    hyphenated (the text is ragged right), endorsers and references least of all."""
    copied = pdftotext(pdf_path).splitlines()
    assert [line for line in copied if line.rstrip().endswith(HYPHENS)] == []
    extracted = "\r\n".join(page.body for page in pages)
    assert re.findall(r"\S+[\u2010\u00ad]\r\n\S+", extracted) == []
    assert "\u2010" not in extracted


def wrongly_wrapped_addresses(text: str, addresses: set[str]) -> list[str]:
    """Each address of the text, its lines joined where a line goes on with '/', '-', '.' and
    the like, that is not one of addresses: one broken elsewhere (after a hyphen, or a
    hyphen dropped by the extractor's de-hyphenation) reads as another."""
    wrong = []
    for found in WRAPPED_ADDRESS.finditer(text):
        address = re.sub(r"\r?\n", "", found[0])
        while address not in addresses and address[-1:] in ".,;:)":
            address = address[:-1]
        if address not in addresses:
            wrong.append(found[0])
    return wrong


def test_addresses_break_only_before_a_slash_hyphen_or_dot(pdf_path, pages, reader):
    """Chicago 14.18: an address broken over lines goes on with '/', '-', '.' (or '#', '?'
    ...), never after a hyphen, which a reader takes for a hyphenation, and pdftotext drops."""
    addresses = {target for _, target in links(reader) if target.startswith("http")}
    copied = pdftotext(pdf_path)
    extracted = "\r\n".join(page.body for page in pages)
    assert wrongly_wrapped_addresses(copied, addresses) == []
    assert wrongly_wrapped_addresses(extracted, addresses) == []
    continued = re.findall(r"https?://\S+\n([/~.,_?#%=&-])", copied)
    assert len(continued) >= 5  # the references' addresses do wrap, as they should
    assert [line for line in copied.splitlines() if re.search(r"https?://\S*-$", line)] == []


def test_question_seven_keeps_its_no_answer_note(text):
    assert re.search(r"About#actionLines \([^)]*\) \[No answer provided\] 8\. How can", text)


# Navigation


def test_the_outline_lists_the_questions_the_endorsers_and_the_references_in_order(
    reader, flagship
):
    entries = outline(reader)
    titles = [normalise(title) for _, _, title in entries]
    expected = [normalise(f"{e.number} {e.title}".strip()) for e in flagship.contents]
    assert len(titles) == len(expected) == 13
    assert all(t.startswith(e) for t, e in zip(titles, expected, strict=True)), titles
    assert titles[-2:] == [f"Endorsing organisations ({len(flagship.endorsers)})", "References"]
    assert {level for level, _, _ in entries} == {1}
    where = destinations(reader)
    assert [page for _, page, _ in entries] == [where[e.identifier] for e in flagship.contents]


def test_every_url_of_the_seed_and_the_references_is_a_live_link(reader, seed, flagship):
    targets = {target for _, target in links(reader)}
    urls = set(re.findall(r"https?://\S+", seed))
    urls |= {entry["URL"] for entry in flagship.references if "URL" in entry}
    assert urls and urls <= targets
    assert flagship.metadata.consultation.url in targets


def test_internal_links_jump_to_their_targets(reader, pages):
    where = destinations(reader)
    internal = [(page, target[1:]) for page, target in links(reader) if target.startswith("#")]
    assert [name for _, name in internal if name not in where] == []
    names = {name for _, name in internal}
    assert {f"q{n}" for n in range(1, 12)} | {"references"} <= names
    # The "Q11" link of the first answer leads to the page where question 11 is asked.
    q11_link_pages = {page for page, name in internal if name == "q11" and page > 2}
    assert q11_link_pages
    assert "11. What are the key emerging" in joined_lines(pages[where["q11"] - 1].body)
    # Every citation leads to its entry in the references.
    assert {name for name in names if name.startswith("ref-")}


# Fixtures of our own: notes, paper, what the URL fetcher lets through


def make_publication(folder: Path, body: str = "", metadata: str = "") -> Path:
    """A copy of the minimal fixture with body added to its answer and metadata lines."""
    copy_fixture(folder)
    edit(folder / "master.md", "lang: en\n", f"lang: en\n{metadata}")
    edit(folder / "master.md", "[@source-2024].\n", f"[@source-2024].\n\n{body}\n")
    return folder


NOTES = """The answer goes on.[^long] And ends.[^short]

[^long]: The first note, with [a link](https://example.org/note).

    Its second paragraph.

[^short]: The *second* note."""


@pytest.fixture(scope="module")
def notes_pdf(tmp_path_factory) -> Path:
    folder = make_publication(
        tmp_path_factory.mktemp("notes") / "notes", NOTES, metadata="paper: letter\n"
    )
    return PdfRenderer().render(load_publication(folder), folder.parent / "out")


def test_notes_move_from_the_end_to_their_calls():
    markup = (
        '<html><body><main><p>Text.<a href="#fn1" class="footnote-ref" id="fnref1">'
        "<sup>1</sup></a> More.</p>"
        '<section id="footnotes" class="footnotes"><hr><ol><li id="fn1"><p>The note.'
        '<a href="#fnref1" class="footnote-back">↩︎</a></p><p>Second.</p></li></ol></section>'
        "</main></body></html>"
    )
    page = lxml.html.document_fromstring(print_markup(markup))
    note = page.cssselect("main p > span.footnote")
    assert len(note) == 1
    assert note[0].text_content() == "The note.Second."
    assert [s.get("class") for s in note[0]] == ["footnote-p", "footnote-p"]
    assert page.cssselect("#footnotes, .footnote-back, .footnote-ref") == []
    assert page.cssselect("main p")[0].text_content() == "Text.The note.Second. More."


def test_notes_are_set_at_the_foot_of_their_page(notes_pdf):
    pages = page_texts(notes_pdf)
    answer = next(p for p in pages if "The answer goes on." in p.body)
    body = joined_lines(answer.body)
    # Each note once, after the rest of the page's text, not in a list of endnotes.
    full_text = " ".join(joined_lines(p.body) for p in pages)
    for note in ("The first note, with a link.", "Its second paragraph.", "The second note."):
        assert full_text.count(note) == 1
        assert body.index(note) > body.index("Some Body. 2024. A Source.")
    assert re.search(r"The answer goes on\.1 And ends\.2", body)
    assert re.search(r"1 The first note.*2 The second note\.", body)
    assert (notes_pdf.parent / "notes.pdf").exists()


def test_letter_paper_when_the_master_asks_for_it(notes_pdf):
    assert pdfinfo(notes_pdf)["Page size"] == "612 x 792 pts (letter)"


def test_the_fetcher_serves_files_of_the_allowed_folders_only(tmp_path):
    allowed = tmp_path / "publication"
    allowed.mkdir()
    (allowed / "picture.png").write_bytes(b"png bytes")
    (allowed / "escape.png").symlink_to("/etc/passwd")
    fetcher = FolderFetcher([allowed], allowed / "master.md")
    response = fetcher.fetch((allowed / "picture.png").as_uri())
    assert response.read() == b"png bytes"
    assert response.content_type == "image/png"
    for url in (
        "file:///etc/passwd",
        (allowed / "escape.png").as_uri(),
        allowed.as_uri() + "/../../etc/passwd",
        "file://example.org/share/picture.png",
        "ftp://example.org/picture.png",
    ):
        with pytest.raises(EditionsError, match="refused"):
            fetcher.fetch(url)


def with_image(publication: Publication, target: str) -> Publication:
    """The publication with an image its loader would have refused, to show that the
    renderer refuses it as well."""
    document = publication.ast()
    image = {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": "Picture"}], [target, ""]]}
    document["blocks"].insert(1, {"t": "Para", "c": [image]})
    return dataclasses.replace(publication, ast_json=json.dumps(document))


def test_an_image_outside_the_publication_stops_the_build(tmp_path):
    publication = with_image(load_publication(FIXTURES / "minimal"), "/etc/passwd")
    with pytest.raises(EditionsError) as refused:
        PdfRenderer().render(publication, tmp_path)
    assert "refused to read file:///etc/passwd" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_an_image_on_the_network_is_refused_without_a_connection(tmp_path):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(0.5)
        port = server.getsockname()[1]
        publication = with_image(
            load_publication(FIXTURES / "minimal"), f"http://127.0.0.1:{port}/pixel.png"
        )
        with pytest.raises(EditionsError, match="fetches nothing from the network"):
            PdfRenderer().render(publication, tmp_path)
        with pytest.raises(TimeoutError):
            server.accept()


def test_an_image_in_the_publication_folder_is_used(tmp_path):
    folder = make_publication(tmp_path / "publication", "![A red square](square.png)")
    Image.new("RGB", (40, 40), "#b00020").save(folder / "square.png")
    path = PdfRenderer().render(load_publication(folder), tmp_path / "out")
    with pikepdf.open(path) as pdf:
        assert any(page.get_images() for page in pdf.pages)


def test_a_weasyprint_failure_is_one_clear_line(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("layout went wrong\nsecond line")

    monkeypatch.setattr(pdf_writer.weasyprint.HTML, "render", fail)
    folder = make_publication(tmp_path / "publication")
    with pytest.raises(EditionsError) as failed:
        PdfRenderer().render(load_publication(folder), tmp_path / "out")
    message = str(failed.value)
    assert message.endswith("WeasyPrint could not make the PDF: RuntimeError: layout went wrong")
    assert list((tmp_path / "out").iterdir()) == []


# Goldens: the content as text, two pages as pictures


def readable(path: Path, reader: pypdf.PdfReader, pages: list[PageText]) -> dict[str, str]:
    """The PDF read back, in parts: the document (metadata, fonts, outline, links), then the
    text of each page."""
    info = pdfinfo(path)
    lines = ["# The PDF edition, read back (tests/test_pdf.py::readable)", "", "## Document"]
    for key in ("Pages", "Page size", "PDF version", "Tagged", "Title", "Author", "Subject"):
        lines.append(f"{key}: {info[key]}")
    for key in ("Keywords", "CreationDate", "ModDate"):
        lines.append(f"{key}: {info[key]}")
    with pikepdf.open(path) as pdf, pdf.open_metadata() as xmp:
        lines.append(f"Lang: {pdf.Root.Lang}")
        lines.append(f"PDF/UA part: {xmp['pdfuaid:part']}")
    lines += ["", "## Fonts (name, embedded, subset)"]
    lines += [" ".join(font) for font in pdffonts(path)]
    lines += ["", "## Outline (level, page, title)"]
    lines += [f"{level} p{page} {title}" for level, page, title in outline(reader)]
    lines += ["", "## Links (page -> target, internal ones with their page)"]
    where = destinations(reader)
    seen = []
    for page, target in links(reader):
        shown = f"p{page} -> {target}"
        if target.startswith("#"):
            shown += f" (p{where.get(target[1:], '?')})"
        if shown not in seen:
            seen.append(shown)
    parts = {"document.txt": "\n".join([*lines, *seen]) + "\n"}
    for number, page in enumerate(pages, start=1):
        lines = [f"## Page {number}", f"[header] {page.header.strip()}"]
        for line in page.body.split("\r\n"):
            line = " ".join(line.replace("\x02", "-").split())
            line = re.sub(r"(?: ?\.){4,} ", " … ", line)  # a leader, shortened
            if line:
                lines.append(line)
        lines.append(f"[footer] {' '.join(page.footer.split())}")
        parts[f"page-{number:02}.txt"] = "\n".join(lines) + "\n"
    return parts


@pytest.mark.golden
def test_pdf_golden(pdf_path, reader, pages, update_goldens):
    assert_goldens("tccm-wsis20/pdf", readable(pdf_path, reader, pages), update_goldens)


def picture(path: Path, page_index: int) -> Image.Image:
    document = pdfium.PdfDocument(path)
    try:
        return document[page_index].render(scale=PICTURE_DPI / 72).to_pil().convert("RGB")
    finally:
        document.close()


@pytest.mark.golden
@pytest.mark.parametrize("which", ["title", "endorsers"])
def test_pdf_pictures(pdf_path, pages, which, update_goldens):
    if which == "title":
        index = 0
    else:
        index = next(i for i, page in enumerate(pages) if INTRODUCTION in page.body)
    actual = picture(pdf_path, index)
    name = f"tccm-wsis20/pdf-{which}.png"
    golden = GOLDENS / name
    if update_goldens:
        actual.save(golden, optimize=True)
        return
    if not golden.exists():
        pytest.fail(f"no golden picture {golden}; create it with `make goldens` and review it")
    expected = Image.open(golden).convert("RGB")
    if expected.size == actual.size:
        difference = ImageChops.difference(expected, actual)
        mean = sum(ImageStat.Stat(difference).mean) / 3
        if mean <= PICTURE_TOLERANCE:
            return
    else:
        difference, mean = None, float("inf")
    kept = ACTUAL / name
    kept.parent.mkdir(parents=True, exist_ok=True)
    actual.save(kept)
    if difference is not None:
        ImageChops.invert(difference).save(kept.with_name(f"pdf-{which}-difference.png"))
    pytest.fail(
        f"page {index + 1} differs from {golden} (mean pixel difference {mean:.2f}, "
        f"tolerance {PICTURE_TOLERANCE}); actual kept at {kept}",
        pytrace=False,
    )


@pytest.mark.slow
def test_a_list_of_endorsers_longer_than_a_page_flows_in_columns_from_page_to_page(tmp_path):
    """A list that fits a page is a grid kept on it; a longer one must break across pages,
    each page read down its first column, then its second."""
    folder = make_publication(tmp_path / "many")
    names = [f"Endorsing Organisation {n:03d} of a long list" for n in range(1, 121)]
    (folder / "endorsers.yaml").write_text(
        "".join(f"- name: {name}\n" for name in names), encoding="utf-8"
    )
    path = PdfRenderer().render(load_publication(folder), tmp_path / "out")
    pages = page_texts(path)
    on_page = [[n for n in names if n in joined_lines(page.body)] for page in pages]
    assert sum(len(found) for found in on_page) == len(names)
    holding = [found for found in on_page if found]
    assert len(holding) >= 2  # the list goes on over the page
    assert [name for found in holding for name in found] == names  # in order, page after page


# Names of one, two and three lines in a column, so that a row of a grid would hold names
# of different heights.
ENDORSER_KINDS = (
    "Registry",
    "Network Information Centre and Registry Services",
    "Council of National Domain Name Registries and Registrars of the Region",
)


def endorser_publication(folder: Path, count: int) -> tuple[Path, list[str]]:
    folder = make_publication(folder)
    names = [f"Endorser {n:03d} {ENDORSER_KINDS[n % 3]}" for n in range(1, count + 1)]
    (folder / "endorsers.yaml").write_text(
        "".join(f"- name: {name}\n" for name in names), encoding="utf-8"
    )
    return PdfRenderer().render(load_publication(folder), folder.parent / "out"), names


@pytest.mark.parametrize("count", [5, 22, 120])
def test_the_endorsers_are_extracted_in_their_printed_order(tmp_path, count):
    """Copied (pdftotext, default mode), extracted (pdfium) or read from the tag tree, the
    names come in the order they are printed: down the first column, then the second."""
    path, names = endorser_publication(tmp_path / "endorsers", count)
    assert in_order(pdftotext(path), names) == []
    assert in_order("\n".join(page.body for page in page_texts(path)), names) == []
    items = ["".join(item.replace("\u2022", "").split()) for item in tagged_texts(path, "/LI")]
    assert [item for item in items if item.startswith("Endorser")] == [
        "".join(name.split()) for name in names
    ]


def test_the_flagship_endorsers_are_copied_in_their_printed_order(pdf_path, flagship):
    assert in_order(pdftotext(pdf_path), [e.name for e in flagship.endorsers]) == []


def test_kept_page_references_change_no_byte_of_a_tagged_pdf(monkeypatch: pytest.MonkeyPatch):
    import pydyf
    import weasyprint

    from editions.formats.pdf import page_references as fix
    from editions.formats.pdf.writer import PDF_VARIANT

    assert pydyf.PDF.page_references.fget is fix._page_references  # in effect for our PDFs
    section = '<h1 id="h{n}">Part {n}</h1><p>Text with <a href="#h0">a link</a>.</p>'
    markup = '<html lang="en"><head><title>Pages</title><style>h1 {{ break-before: page; }}'
    markup += "</style></head><body>" + "".join(section.format(n=n) for n in range(12))
    document = weasyprint.HTML(string=markup + "</body></html>").render(pdf_tags=True)
    options = {"pdf_variant": PDF_VARIANT, "pdf_tags": True, "pdf_identifier": b"0" * 32}
    kept = document.write_pdf(**options)
    monkeypatch.setattr(pydyf.PDF, "page_references", fix._rebuilt)
    rebuilt = document.write_pdf(**options)
    assert len(document.pages) == 12
    assert kept == rebuilt


def test_kept_page_references_follow_each_page_added():
    import pydyf

    from editions.formats.pdf.page_references import keep_page_references

    keep_page_references()  # as pdf_writer does; a second call changes nothing
    pdf = pydyf.PDF()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert pdf.page_references is first  # kept, not rebuilt
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 2
    assert pdf.page_references[0] == first[0]


def test_a_pdf_pikepdf_cannot_read_is_one_error_naming_the_master(tmp_path):
    """The pass after WeasyPrint (right-to-left text, a redline's tags) turns a file it cannot
    read into one error line, not a trace."""
    from editions.formats.pdf.finish import finish_pdf

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot a PDF at all")
    master = tmp_path / "master.md"
    with pytest.raises(EditionsError) as caught:
        finish_pdf(broken, master)
    assert caught.value.path == master and "could not finish the PDF" in str(caught.value)
