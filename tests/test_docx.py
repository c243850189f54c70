"""The DOCX edition: real Word styles, lists, links and fields; read back by python-docx and
LibreOffice; byte-identical across builds; and the small functions that make it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import subprocess
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Inches
from lxml import etree

from editions.errors import EditionsError
from editions.formats.docx.finish import label_pieces
from editions.formats.docx.ooxml import SCHEMA_ORDER
from editions.formats.docx.package import reproducible_zip
from editions.formats.docx.prepare import (
    hang_question_numbers,
    keep_lead_ins_with_what_follows,
    replace_section_breaks,
    word_document,
)
from editions.formats.docx.renderer import DocxRenderer
from editions.formats.docx.styles import SPEC_PATH, StyleSpec, load_style_spec, parse_style_spec

from goldens import assert_golden
from sentences import missing_sentences, seed_endorsers
from validators import require

INTRODUCTION = "The following TCCM members have endorsed this statement:"
NUMBERED_HEADING = re.compile(r"(\d+)\.\t(.+)", re.S)
# Run properties that carry meaning (pandoc's Emph and Strong), not a look to undo.
# Bold is a character style (Strong), never direct formatting.
SEMANTIC_RUN_PROPERTIES = {qn("w:rStyle"), qn("w:i"), qn("w:iCs")}
TOOL_NAMES = ("pandoc", "python-docx", "microsoft word", "libreoffice")


@pytest.fixture(scope="module")
def docx_path(built) -> Path:
    return built("docx")


@pytest.fixture(scope="module")
def document(docx_path: Path) -> docx.document.Document:
    return docx.Document(str(docx_path))


@pytest.fixture(scope="module")
def spec() -> StyleSpec:
    return load_style_spec()


@pytest.fixture(scope="module")
def body_paragraphs(document) -> list:
    return list(document.paragraphs)


# --- The document as Word sees it -----------------------------------------------------------


def test_the_eleven_questions_are_numbered_heading_1_paragraphs(body_paragraphs, flagship):
    headings = [p for p in body_paragraphs if p.style.name == "Heading 1"]
    numbered = [NUMBERED_HEADING.fullmatch(p.text) for p in headings]
    numbers = [int(match.group(1)) for match in numbered if match]
    assert numbers == list(range(1, 12))
    questions = [entry for entry in flagship.contents if entry.number]
    for match, entry in zip([m for m in numbered if m], questions, strict=True):
        assert match.group(2).startswith(entry.title[:40])
    # The endorsers' section is in the navigation pane too.
    assert [p.text for p in headings if not NUMBERED_HEADING.fullmatch(p.text)] == [
        f"Endorsing organisations ({len(flagship.endorsers)})",
        "References",
    ]


def test_heading_1_is_word_s_own_style_with_an_outline_level(document):
    style = document.styles["Heading 1"]
    assert style.style_id == "Heading1" and style.builtin
    outline = style.element.pPr.find(qn("w:outlineLvl"))
    assert outline is not None and outline.get(qn("w:val")) == "0"


def test_the_title_block_and_the_consultation_follow_each_other(body_paragraphs, flagship):
    meta = flagship.metadata
    opening = [(p.style.name, p.text) for p in body_paragraphs[:5]]
    assert opening[:4] == [
        ("Title", meta.title),
        ("Subtitle", meta.subtitle),
        ("Author", meta.author),
        ("Date", meta.display_date),
    ]
    style, text = opening[4]
    assert style == "Consultation"
    assert meta.consultation.name in text and meta.consultation.organiser in text
    assert meta.consultation.url in text
    assert text.startswith(f"Submitted to the {meta.consultation.organiser}, in response to")
    assert text.endswith(f"Endorsed by {len(flagship.endorsers)} organisations")


def test_the_core_properties_come_from_the_metadata(document, flagship):
    meta, properties = flagship.metadata, document.core_properties
    assert properties.title == meta.title
    assert properties.author == meta.author == properties.last_modified_by
    assert properties.subject == meta.description
    assert properties.keywords == ", ".join(meta.keywords)
    assert properties.language == meta.lang
    assert properties.identifier == meta.identifier
    assert properties.created == properties.modified == flagship.build_date
    assert properties.revision == 1


def test_no_tool_name_is_left_in_the_document_properties(docx_path: Path):
    with zipfile.ZipFile(docx_path) as package:
        for name in package.namelist():
            if name.startswith("docProps/"):
                text = package.read(name).decode("utf-8").lower()
                assert [tool for tool in TOOL_NAMES if tool in text] == [], name
                assert "<application>" not in text and "<totaltime>" not in text, name


def test_the_endorsers_are_a_real_word_list_in_the_seed_order(
    body_paragraphs, document, seed, flagship
):
    texts = [p.text for p in body_paragraphs]
    start = texts.index(INTRODUCTION) + 1
    listed = body_paragraphs[start : start + len(flagship.endorsers)]
    names = seed_endorsers(seed, INTRODUCTION, "(This article")
    assert [p.text for p in listed] == names == [e.name for e in flagship.endorsers]
    assert len(names) == 22
    numbering = {p._p.pPr.numPr.numId.val for p in listed if p._p.pPr.numPr is not None}
    assert len(numbering) == 1, "every endorser is an item of one Word list"
    assert _number_format(document, numbering.pop()) == "bullet"
    assert body_paragraphs[start + len(names)].text.startswith("(This article")


def test_the_endorser_list_stays_with_its_introducing_sentence(body_paragraphs):
    introduction = next(p for p in body_paragraphs if p.text == INTRODUCTION)
    assert introduction.style.name == "Lead-in"
    assert introduction.style.paragraph_format.keep_with_next


def test_every_url_is_a_live_hyperlink(document, seed, flagship):
    targets = set(_external_link_targets(document).values())
    for url in re.findall(r"https?://\S+", seed):
        assert url in targets
    assert flagship.metadata.consultation.url in targets
    for reference in flagship.references:
        if reference.get("URL"):
            assert reference["URL"] in targets


def test_internal_links_resolve_to_bookmarks(document, flagship):
    body = document.element.body
    anchors = {link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink"))} - {None}
    bookmarks = {mark.get(qn("w:name")) for mark in body.iter(qn("w:bookmarkStart"))}
    assert "q11" in anchors
    assert {f"ref-{r['id']}" for r in flagship.references} <= anchors
    assert anchors - bookmarks == set()


def test_the_header_holds_the_short_title_and_the_footer_live_page_fields(document, flagship):
    section = document.sections[0]
    assert [p.text for p in section.header.paragraphs] == [flagship.metadata.running_title]
    assert section.header.paragraphs[0].style.name == "Header"
    footer = section.footer.paragraphs[0]
    assert footer.style.name == "Footer"
    fields = [f.get(qn("w:instr")).split()[0] for f in footer._p.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert section.different_first_page_header_footer
    assert [p.text for p in section.first_page_header.paragraphs] == [""]
    assert [p.text for p in section.first_page_footer.paragraphs] == [""]


def test_the_page_is_a4_with_the_spec_margins(document, spec):
    section = document.sections[0]
    assert _close(section.page_width, Cm(21.0)) and _close(section.page_height, Cm(29.7))
    assert _close(section.left_margin, Cm(spec.page.margins["left"]))
    assert _close(section.top_margin, Cm(spec.page.margins["top"]))


def test_the_language_is_set_for_spell_checking(document, flagship):
    defaults = document.styles.element.find(qn("w:docDefaults"))
    language = defaults.find(f".//{qn('w:lang')}")
    assert language.get(qn("w:val")) == flagship.metadata.lang
    assert document.settings.element.find(qn("w:proofState")) is None


@pytest.mark.parametrize("name", ["Title", "Heading 1", "Heading 2", "Body Text", "List"])
def test_the_named_styles_are_real_styles_with_the_spec_font_and_size(document, spec, name):
    style = document.styles[name]
    assert style.type == docx.enum.style.WD_STYLE_TYPE.PARAGRAPH
    assert _resolved(document, style, "font") == _spec_value(spec, name, "font")
    assert _resolved(document, style, "size") == _spec_value(spec, name, "size")


def test_style_properties_come_in_the_order_word_requires(document):
    for properties in ("w:pPr", "w:rPr"):
        order = [qn(name) for name in SCHEMA_ORDER[properties]]
        for element in document.styles.element.iter(qn(properties)):
            places = [order.index(child.tag) for child in element]
            assert places == sorted(places), etree.tostring(element)


def test_every_paragraph_has_a_style_and_no_direct_formatting(document):
    body = document.element.body
    for paragraph in body.iter(qn("w:p")):
        properties = paragraph.pPr
        assert properties is not None and properties.pStyle is not None, _text(paragraph)
        extra = {child.tag for child in properties} - {qn("w:pStyle"), qn("w:numPr")}
        assert extra == set(), _text(paragraph)
    for run_properties in body.iter(qn("w:rPr")):
        if run_properties.getparent().tag == qn("w:r"):
            assert {child.tag for child in run_properties} <= SEMANTIC_RUN_PROPERTIES


def test_bold_lead_ins_are_the_strong_character_style(document):
    body = document.element.body
    strong = [
        run
        for run in body.iter(qn("w:r"))
        if run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}") is not None
        and run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == "Strong"
    ]
    assert len(strong) >= 4  # the Action Lines' lead-ins
    assert not list(body.iter(qn("w:b")))
    assert document.styles["Strong"].font.bold is True


def test_no_style_is_left_that_nothing_uses(document):
    names = [style.name for style in document.styles]
    assert not [name for name in names if name.endswith("Tok")], names
    assert "Source Code" not in names
    for kept in ("Heading 1", "Heading 2", "Question Number", "Strong", "Hyperlink", "Title"):
        assert kept in names


def test_the_contents_is_a_toc_field_filled_with_the_level_1_headings(document, flagship):
    body = document.element.body
    [instruction] = [t.text for t in body.iter(qn("w:instrText")) if "TOC" in t.text]
    assert instruction.split()[:3] == ["TOC", "\\o", '"1-1"']
    begin = next(body.iter(qn("w:fldChar")))
    assert begin.get(qn("w:fldCharType")) == "begin" and begin.get(qn("w:dirty")) == "true"
    entries = [p for p in document.paragraphs if p.style.name == "toc 1"]
    links = [link.get(qn("w:anchor")) for p in entries for link in p._p.iter(qn("w:hyperlink"))]
    level_one = [e for e in flagship.contents if e.level == 1]
    assert links == [e.identifier for e in level_one]
    assert entries[0].text.startswith("1.\tWhat are the main achievements")
    assert "http" not in " ".join(p.text for p in entries)
    heading = entries[0]._p.getprevious()
    assert heading.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "TOCHeading"


def test_question_seven_keeps_its_no_answer_note(body_paragraphs):
    seventh = next(
        i
        for i, p in enumerate(body_paragraphs)
        if p.style.name == "Heading 1" and p.text.startswith("7.\t")
    )
    note = body_paragraphs[seventh + 1]
    assert (note.style.name, note.text) == ("No Answer", "[No answer provided]")


def test_section_breaks_are_centred_paragraphs_not_drawn_lines(document, body_paragraphs):
    breaks = [p for p in body_paragraphs if p.style.name == "Section Break"]
    # The break before the coalition's words became the endorsers' section heading.
    assert [p.text for p in breaks] == ["* * *"]
    assert breaks[0].style.paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert not list(document.element.body.iter("{urn:schemas-microsoft-com:vml}rect"))


def test_the_references_hang_in_the_bibliography_style(body_paragraphs, document, flagship):
    entries = [p for p in body_paragraphs if p.style.name == "Bibliography"]
    assert len(entries) == len(flagship.references)
    layout = document.styles["Bibliography"].paragraph_format
    assert layout.first_line_indent < 0 and layout.left_indent == -layout.first_line_indent


# --- A real word processor reads it -----------------------------------------------------------


@pytest.fixture(scope="module")
def libreoffice_text(docx_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("docx-pdf")
    profile = (folder / "profile").as_uri()
    command = [require("soffice"), f"-env:UserInstallation={profile}", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(folder), str(docx_path)]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = folder / f"{docx_path.stem}.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    text = subprocess.run(
        [require("pdftotext"), "-raw", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return text


@pytest.mark.slow
def test_libreoffice_reads_every_sentence_of_the_seed(
    libreoffice_text, seed, citation_texts, flagship
):
    text = _running_text(libreoffice_text, flagship.metadata.running_title, seed)
    assert missing_sentences(" ".join(text.split()), seed, drop=citation_texts) == []


def test_libreoffice_shows_the_page_numbers_and_header(libreoffice_text, flagship):
    pages = libreoffice_text.count("\f")
    assert f"page 2 of {pages}" in libreoffice_text
    assert "page 1 of" not in libreoffice_text  # the title page has none
    assert flagship.metadata.running_title in libreoffice_text


def test_libreoffice_sets_the_title_the_contents_and_the_text_on_pages_of_their_own(
    libreoffice_text, flagship
):
    """As in the PDF: the title block's page, the whole contents on the next (none of it
    left over on a page of its own), then the text."""
    pages = [" ".join(page.split()) for page in libreoffice_text.split("\f")]
    entries = [entry for entry in flagship.contents if entry.level == 1]
    assert "Contents" not in pages[0]
    assert pages[1].count("Contents") == 1
    assert all(" ".join(entry.title.split())[:40] in pages[1] for entry in entries)
    assert " ".join(entries[0].title.split())[:40] in pages[2]  # the first question's heading


# --- Determinism and the golden ----------------------------------------------------------------


def test_two_builds_at_different_times_and_zones_are_byte_identical(
    flagship, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    first = DocxRenderer().render(flagship, tmp_path / "one")
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    time.sleep(1.1)  # the zip entries' clock would differ by a second
    try:
        second = DocxRenderer().render(flagship, tmp_path / "two" / "deeper")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert first.read_bytes() == second.read_bytes()


def test_letter_paper_when_the_metadata_asks(flagship, tmp_path: Path):
    letter = dataclasses.replace(
        flagship, metadata=dataclasses.replace(flagship.metadata, paper="letter")
    )
    section = docx.Document(str(DocxRenderer().render(letter, tmp_path))).sections[0]
    assert _close(section.page_width, Inches(8.5)) and _close(section.page_height, Inches(11))


def test_the_word_writer_reads_no_file_the_text_points_to(flagship, tmp_path: Path):
    from PIL import Image

    picture = tmp_path / "outside.png"
    Image.new("RGB", (4, 4), "red").save(picture)
    ast = flagship.ast()
    image = {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": "x"}], [str(picture), ""]]}
    ast["blocks"].insert(0, {"t": "Para", "c": [image]})
    intruded = dataclasses.replace(flagship, ast_json=json.dumps(ast))
    with zipfile.ZipFile(DocxRenderer().render(intruded, tmp_path / "out")) as package:
        assert [name for name in package.namelist() if "media" in name] == []


@pytest.mark.golden
def test_docx_golden(docx_path: Path, update_goldens: bool):
    with zipfile.ZipFile(docx_path) as package:
        names = package.namelist()
        assert_golden("tccm-wsis20/docx/entries.txt", "\n".join(names) + "\n", update_goldens)
        for name in names:
            if name.endswith((".xml", ".rels")):
                readable = _readable_xml(package.read(name))
                assert_golden(f"tccm-wsis20/docx/{_golden_name(name)}", readable, update_goldens)


# --- The small functions ------------------------------------------------------------------------


def _header(*inlines: dict) -> dict:
    return {"t": "Header", "c": [1, ["q1", [], []], list(inlines)]}


def test_a_question_number_gets_its_style_and_a_hanging_tab():
    number = {"t": "Span", "c": [["", ["qnum"], []], [{"t": "Str", "c": "1."}]]}
    blocks = [_header(number, {"t": "Space"}, {"t": "Str", "c": "Why?"})]
    hang_question_numbers(blocks, "Question Number")
    span, tab, word = blocks[0]["c"][2]
    assert span["c"][0][2] == [["custom-style", "Question Number"]]
    assert tab["t"] == "RawInline" and "<w:tab/>" in tab["c"][1]
    assert word == {"t": "Str", "c": "Why?"}


def test_a_heading_without_a_number_is_left_alone():
    blocks = [_header({"t": "Str", "c": "References"})]
    hang_question_numbers(blocks, "Question Number")
    assert blocks == [_header({"t": "Str", "c": "References"})]


def test_a_nested_horizontal_rule_becomes_a_styled_paragraph():
    blocks = [{"t": "BlockQuote", "c": [{"t": "HorizontalRule"}]}]
    replace_section_breaks(blocks, "Section Break")
    div = blocks[0]["c"][0]
    assert div["t"] == "Div" and div["c"][0][2] == [["custom-style", "Section Break"]]


def test_only_a_paragraph_ending_in_a_colon_before_a_list_is_a_lead_in():
    colon = {"t": "Para", "c": [{"t": "Str", "c": "these:"}]}
    plain = {"t": "Para", "c": [{"t": "Str", "c": "these."}]}
    items = {"t": "BulletList", "c": [[{"t": "Plain", "c": [{"t": "Str", "c": "a"}]}]]}
    blocks = [colon, items, plain, items, colon]
    keep_lead_ins_with_what_follows(blocks, "Lead-in")
    assert [b["t"] for b in blocks] == ["Div", "BulletList", "Para", "BulletList", "Para"]


def test_only_the_title_block_metadata_reaches_the_word_writer(flagship):
    document = {
        "meta": {"title": 1, "bibliography": 2, "link-citations": 3, "paper": 4, "rights": 5},
        "blocks": [],
    }
    roles = load_style_spec().roles
    metadata = dataclasses.replace(flagship.metadata, consultation=None)
    assert set(word_document(document, roles, metadata)["meta"]) == {"title", "rights"}
    assert document["blocks"] == []  # no consultation and no endorsers: nothing below the date


def test_page_labels_become_text_and_fields():
    assert label_pieces("Page {page} of {pages}") == [("Page ", "PAGE"), (" of ", "NUMPAGES")]
    assert label_pieces("{page}") == [("", "PAGE")]


def test_rezipping_fixes_times_order_and_compression():
    def package(clock: tuple[int, ...], names: list[str]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name in names:
                archive.writestr(zipfile.ZipInfo(name, date_time=clock), f"<{name}/>")
        return out.getvalue()

    built = dt.datetime(2025, 2, 5, tzinfo=dt.UTC)
    first = reproducible_zip(package((2031, 1, 1, 1, 1, 1), ["word/b.xml", "_rels/.rels"]), built)
    second = reproducible_zip(package((2032, 2, 2, 2, 2, 2), ["_rels/.rels", "word/b.xml"]), built)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["_rels/.rels", "word/b.xml"]
        assert {info.date_time for info in archive.infolist()} == {(2025, 2, 5, 0, 0, 0)}


def test_a_spec_with_an_unknown_style_field_names_its_line(tmp_path: Path):
    source = SPEC_PATH.read_text(encoding="utf-8")
    broken = source.replace("  Body Text:\n", "  Body Text:\n    colur: accent\n", 1)
    line = broken.splitlines().index("    colur: accent") + 1
    with pytest.raises(EditionsError) as caught:
        parse_style_spec(broken, tmp_path / "styles.yaml")
    assert "colur" in caught.value.message and caught.value.line == line


# --- Helpers -------------------------------------------------------------------------------------


def _close(length: int, expected: int) -> bool:
    """Equal to the twentieth of a point Word stores lengths in."""
    return abs(length - expected) < 635


def _text(paragraph: etree._Element) -> str:
    return "".join(paragraph.itertext())[:60]


def _number_format(document, num_id: int) -> str:
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.num_lst if n.numId == num_id)
    abstract_id = num.abstractNumId.val
    abstract = next(
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if int(a.get(qn("w:abstractNumId"))) == abstract_id
    )
    level = abstract.find(f"{qn('w:lvl')}[@{qn('w:ilvl')}='0']")
    return level.find(qn("w:numFmt")).get(qn("w:val"))


def _external_link_targets(document) -> dict[str, str]:
    rels = document.part.rels
    return {
        link.get(qn("r:id")): rels[link.get(qn("r:id"))].target_ref
        for link in document.element.body.iter(qn("w:hyperlink"))
        if link.get(qn("r:id"))
    }


def _resolved(document, style, what: str):
    """The font or size a style shows, following its based-on chain to the defaults."""
    while style is not None:
        value = style.font.name if what == "font" else style.font.size
        if value is not None:
            return value if what == "font" else value.pt
        style = style.base_style
    defaults = document.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:rPr')}")
    if what == "font":
        return defaults.find(qn("w:rFonts")).get(qn("w:ascii"))
    return int(defaults.find(qn("w:sz")).get(qn("w:val"))) / 2


def _spec_value(spec: StyleSpec, name: str, what: str):
    look = spec.style(name)
    while look is not None:
        if getattr(look, what) is not None:
            return getattr(look, what)
        look = spec.style(look.based_on) if look.based_on else None
    return None


def _running_text(text: str, running_title: str, seed: str) -> str:
    """The text without page headers and footers, its line-end breaks mended."""
    lines = [
        line
        for line in text.splitlines()
        if line.strip() != running_title
        and not re.fullmatch(r"page \d+ of \d+", line.strip(), re.IGNORECASE)
    ]
    text = "\n".join(lines)
    text = re.sub(r"(https?://\S+)\n(?=[#/?&=%._-])", r"\1", text)  # a URL broken across lines
    return _dehyphenate(text, seed)


def _dehyphenate(text: str, seed: str) -> str:
    """Join a word broken at a line end, keeping the hyphen when the seed spells it so."""
    words = set(re.findall(r"[\w’'-]+", seed.lower()))

    def join(match: re.Match[str]) -> str:
        hyphenated, whole = f"{match.group(1)}-{match.group(2)}", match.group(1) + match.group(2)
        if hyphenated.lower() in words or whole.lower() not in words:
            return hyphenated
        return whole

    return re.sub(r"([\w’']+)-\n([\w’']+)", join, text)


def _golden_name(entry: str) -> str:
    """A plain file name for a zip entry: no brackets, no hidden '.rels' file."""
    entry = entry.replace("[Content_Types].xml", "content-types.xml")
    return entry.replace("_rels/.rels", "_rels/package.rels")


def _readable_xml(data: bytes) -> str:
    """Pretty-printed XML, with the build's dates replaced (tests check them separately)."""
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(data, parser)
    for element in root.iter():
        if element.tag in (
            "{http://purl.org/dc/terms/}created",
            "{http://purl.org/dc/terms/}modified",
        ):
            element.text = "BUILD-DATE"
        for attribute in list(element.attrib):
            if attribute.startswith(qn("w:rsid")):
                element.set(attribute, "RSID")
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def test_document_properties_fit_words_limit():
    from editions.formats.docx.finish import fit_property

    assert fit_property("short") == "short"
    fitted = fit_property("Multistakeholder " * 30)
    assert len(fitted) == 255 and fitted.endswith("…")
