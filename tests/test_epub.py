"""The EPUB edition: valid, navigable, accessible, every word of the seed, the same bytes twice."""

from __future__ import annotations

import io
import json
import os
import posixpath
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from ebooklib import epub
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from editions.adapters.fonts import Face, find_face, subset_font
from editions.build import render_edition
from editions.errors import EditionsError
from editions.formats.epub.cover import cover_png
from editions.model.publication import load_publication

from goldens import assert_golden
from publications import FIXTURES, copy_fixture, edit
from sentences import missing_sentences, seed_endorsers
from validators import ace_violations, axe_violations, epubcheck_problems

INTRODUCTION = "The following TCCM members have endorsed this statement:"
NS = {
    "h": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
EPUB_TYPE = f"{{{NS['epub']}}}type"
OPF_PATH = "EPUB/content.opf"
NAV_PATH = "EPUB/nav.xhtml"


@pytest.fixture(scope="module")
def epub_path(built) -> Path:
    return built("epub")


@pytest.fixture(scope="module")
def container(epub_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(epub_path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture(scope="module")
def book(epub_path: Path) -> epub.EpubBook:
    return epub.read_epub(str(epub_path), {"ignore_ncx": True})


@pytest.fixture(scope="module")
def opf(container) -> etree._Element:
    return etree.fromstring(container[OPF_PATH])


@pytest.fixture(scope="module")
def spine_paths(opf) -> list[str]:
    hrefs = {item.get("id"): item.get("href") for item in opf.iterfind(".//opf:item", NS)}
    return [f"EPUB/{hrefs[ref.get('idref')]}" for ref in opf.iterfind(".//opf:itemref", NS)]


@pytest.fixture(scope="module")
def pages(container, spine_paths) -> dict[str, etree._Element]:
    """The content documents of the spine (the navigation document aside), in reading order."""
    return {path: etree.fromstring(container[path]) for path in spine_paths if path != NAV_PATH}


def text_of(pages: dict[str, etree._Element]) -> str:
    return " ".join("".join(root.find("h:body", NS).itertext()) for root in pages.values())


def ids_by_page(container: dict[str, bytes]) -> dict[str, set[str]]:
    return {
        name: {e.get("id") for e in etree.fromstring(data).iter() if e.get("id")}
        for name, data in container.items()
        if name.endswith(".xhtml")
    }


def meta_values(opf: etree._Element, prop: str) -> list[str]:
    return [m.text for m in opf.iterfind(f".//opf:meta[@property='{prop}']", NS)]


@pytest.mark.slow
def test_epubcheck_reports_no_error_and_no_warning(epub_path: Path, tmp_path: Path):
    counts, messages = epubcheck_problems(epub_path, tmp_path / "epubcheck.json")
    assert counts == [0, 0, 0], messages


def test_the_container_opens_with_a_stored_mimetype(epub_path: Path):
    with zipfile.ZipFile(epub_path) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert not first.extra
        assert archive.read(first) == b"application/epub+zip"


def test_ebooklib_reads_the_metadata_back(book, flagship):
    metadata = flagship.metadata
    assert [v for v, _ in book.get_metadata("DC", "title")] == [metadata.title]
    assert [v for v, _ in book.get_metadata("DC", "creator")] == [metadata.author]
    assert [v for v, _ in book.get_metadata("DC", "language")] == [metadata.lang]
    assert [v for v, _ in book.get_metadata("DC", "identifier")] == [metadata.identifier]
    assert [v for v, _ in book.get_metadata("DC", "publisher")] == [metadata.publisher]
    assert [v for v, _ in book.get_metadata("DC", "rights")] == [metadata.rights]
    assert [v for v, _ in book.get_metadata("DC", "date")] == [metadata.date.isoformat()]
    modified = [
        v for v, a in book.get_metadata("OPF", "meta") if a.get("property") == "dcterms:modified"
    ]
    assert modified == [flagship.build_date.strftime("%Y-%m-%dT%H:%M:%SZ")]
    subjects = [v for v, _ in book.get_metadata("DC", "subject")]
    assert subjects == list(metadata.keywords)


def test_the_spine_reads_cover_title_contents_questions_references(book, flagship):
    first_sections = []
    for idref, linear in book.spine:
        item = book.get_item_with_id(idref)
        root = etree.fromstring(item.get_content())
        section = root.find("h:body//h:section", NS)
        nav = root.find("h:body//h:nav", NS)
        if nav is not None:
            first_sections.append("contents")
        elif section is not None and section.get(EPUB_TYPE) == "titlepage":
            first_sections.append("title page")
        elif section is not None:
            first_sections.append(section.get("id"))
        else:
            first_sections.append("cover" if "cover" in item.file_name else item.file_name)
        assert linear == "yes"
    questions = [f"q{n}" for n in range(1, 12)]
    assert first_sections == [
        "cover",
        "title page",
        "contents",
        *questions,
        "signatories",
        "references",
    ]


def test_the_navigation_reaches_every_question_and_the_references(book, container):
    ids = ids_by_page(container)
    targets = []
    for link in book.toc:
        path, _, fragment = posixpath.normpath(f"EPUB/{link.href}").partition("#")
        assert fragment in ids[path], link.href
        targets.append((fragment, link.title))
    assert [fragment for fragment, _ in targets] == [
        *(f"q{n}" for n in range(1, 12)),
        "signatories",
        "references",
    ]
    assert targets[11][1] == "Endorsing organisations (22)"
    for number, (_, title) in enumerate(targets[:11], start=1):
        assert title.startswith(f"{number}. ")
    assert "http" not in targets[6][1]  # question 7's bare URL stays in the text, not the entry


def test_the_landmarks_name_cover_title_page_contents_text_and_references(container):
    nav = etree.fromstring(container[NAV_PATH])
    landmarks = nav.find(".//h:nav[@epub:type='landmarks']", NS)
    kinds = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iterfind(".//h:a", NS)}
    assert kinds == {
        "cover": "text/cover.xhtml",
        "titlepage": "text/title_page.xhtml",
        "toc": "#toc",
        "bodymatter": "text/ch001.xhtml",
        "bibliography": "text/ch013.xhtml#references",
    }


def test_every_seed_sentence_is_in_the_book(pages, seed, citation_texts):
    assert missing_sentences(text_of(pages), seed, drop=citation_texts) == []


def test_the_endorsers_are_all_listed_in_the_seed_order(pages, seed, flagship):
    lists = [root.find(".//h:div[@id='endorsers']", NS) for root in pages.values()]
    (endorsers,) = [found for found in lists if found is not None]
    listed = [" ".join("".join(li.itertext()).split()) for li in endorsers.iterfind(".//h:li", NS)]
    assert listed == seed_endorsers(seed, INTRODUCTION, "(This article")
    assert listed == [e.name for e in flagship.endorsers]
    assert len(listed) == 22
    assert "".join(endorsers.getprevious().itertext()).strip() == INTRODUCTION


def test_every_reference_is_listed_and_every_citation_links_to_it(pages, flagship, container):
    entries = {
        e.get("id")
        for root in pages.values()
        for e in root.iterfind(".//h:div[@class='csl-entry']", NS)
    }
    assert entries == {f"ref-{r['id']}" for r in flagship.references}
    ids = ids_by_page(container)
    citations = [
        (path, a.get("href"))
        for path, root in pages.items()
        for a in root.iterfind(".//h:span[@class='citation']/h:a", NS)
    ]
    assert len(citations) >= len(flagship.references)
    for path, href in citations:
        target, _, fragment = href.partition("#")
        assert fragment in ids[posixpath.join(posixpath.dirname(path), target)], href


def test_internal_links_resolve_across_files(container):
    ids = ids_by_page(container)
    links = []
    for name in ids:
        for a in etree.fromstring(container[name]).iter(f"{{{NS['h']}}}a"):
            href = a.get("href") or ""
            if href and not href.startswith(("http://", "https://", "mailto:")):
                target, _, fragment = href.partition("#")
                path = (
                    posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
                    if target
                    else name
                )
                links.append((name, href, path, fragment))
    assert ("EPUB/text/ch001.xhtml", "ch011.xhtml#q11") in [(n, h) for n, h, _, _ in links]
    broken = [
        (n, h)
        for n, h, path, fragment in links
        if path not in ids or (fragment and fragment not in ids[path])
    ]
    assert broken == []


def test_question_seven_keeps_its_no_answer_note(pages):
    (question,) = [
        root for root in pages.values() if root.find(".//h:section[@id='q7']", NS) is not None
    ]
    note = question.find(".//h:div[@class='no-answer']", NS)
    assert note is not None and "".join(note.itertext()).strip() == "[No answer provided]"


def test_the_title_page_names_the_consultation_it_answers(container, flagship):
    page = etree.fromstring(container["EPUB/text/title_page.xhtml"])
    text = " ".join("".join(page.find("h:body", NS).itertext()).split())
    consultation = flagship.metadata.consultation
    assert f"Submitted to the {consultation.organiser}" in text and consultation.name in text
    assert flagship.metadata.title in text and flagship.metadata.author in text
    assert "5 February 2025" in text
    links = [a.get("href") for a in page.iterfind(".//h:a", NS)]
    assert links == [consultation.url]


def test_every_document_has_a_title_saying_what_it_holds(pages, flagship):
    titles = [root.findtext("h:head/h:title", namespaces=NS) for root in pages.values()]
    assert titles[:2] == ["Cover", flagship.metadata.title]
    assert titles[2].startswith("1. What are the main achievements")
    assert titles[-1] == "References"
    assert not [t for t in titles if t.endswith(".xhtml")]


def test_the_accessibility_metadata_says_what_is_true(opf):
    assert meta_values(opf, "schema:accessMode") == ["textual"]
    assert meta_values(opf, "schema:accessModeSufficient") == ["textual"]
    assert set(meta_values(opf, "schema:accessibilityFeature")) == {
        "alternativeText",
        "displayTransformability",
        "readingOrder",
        "structuralNavigation",
        "tableOfContents",
    }
    assert meta_values(opf, "schema:accessibilityHazard") == ["none"]
    (summary,) = meta_values(opf, "schema:accessibilitySummary")
    assert "table of contents" in summary
    # No conformance is claimed: nobody has evaluated the book against WCAG by hand.
    assert meta_values(opf, "dcterms:conformsTo") == []


def test_the_cover_is_generated_and_described(container, flagship, opf):
    (cover,) = opf.iterfind(".//opf:item[@properties='cover-image']", NS)
    data = container[f"EPUB/{cover.get('href')}"]
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("PNG", (1600, 2560))
    assert not image.info.keys() - {"transparency"}  # no text chunks, no timestamp
    page = etree.fromstring(container["EPUB/text/cover.xhtml"])
    description = page.findtext(".//{http://www.w3.org/2000/svg}title")
    assert description.startswith(f"Cover: {flagship.metadata.title}.")


def test_the_typefaces_are_embedded_and_cover_the_text(container, opf, pages):
    fonts = {
        item.get("href"): item.get("media-type")
        for item in opf.iterfind(".//opf:item", NS)
        if item.get("href").startswith("fonts/")
    }
    assert set(fonts.values()) == {"font/ttf"}
    families = set()
    needed = {c for c in text_of(pages) if not c.isspace()}
    for href in fonts:
        data = container[f"EPUB/{href}"]
        assert len(data) < 40_000, f"{href} is not cut down to the text"
        font = TTFont(io.BytesIO(data))
        families.add(font["name"].getDebugName(1))
        assert "SIL Open Font License" in (font["name"].getDebugName(13) or "")
        missing = sorted(c for c in needed if ord(c) not in font.getBestCmap())
        assert missing == [], f"{href} lacks {missing}"
    assert families == {"Noto Serif", "Noto Sans"}
    stylesheet = container["EPUB/styles/stylesheet1.css"].decode()
    assert stylesheet.count("@font-face") == len(fonts)


def test_a_second_build_elsewhere_at_another_time_and_zone_is_identical(
    flagship, epub_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        again = render_edition(flagship, "epub", tmp_path / "elsewhere").path
    finally:
        monkeypatch.undo()
        time.tzset()
    assert again != epub_path
    assert again.read_bytes() == epub_path.read_bytes()
    assert os.stat(again).st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    "page", ["text/title_page.xhtml", "nav.xhtml", "text/ch007.xhtml", "text/ch011.xhtml"]
)
@pytest.mark.slow
def test_axe_core_finds_no_violation_at_phone_width(container, tmp_path: Path, page: str):
    for name, data in container.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    assert axe_violations(tmp_path / "EPUB" / page, "light", 390) == []


@pytest.mark.slow
def test_daisy_ace_finds_no_violation(epub_path: Path):
    assert ace_violations(epub_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("fixture", ["arabic", "chinese"])
def test_daisy_ace_finds_no_violation_in_another_script(tmp_path: Path, fixture: str):
    """Right to left (Arabic) and CJK (Chinese), each with its own faces and words."""
    path = render_edition(load_publication(FIXTURES / fixture), "epub", tmp_path).path
    assert ace_violations(path) == []


@pytest.mark.slow
def test_daisy_ace_reports_a_book_without_its_language_or_access_modes(tmp_path: Path):
    """What the two tests above would meet: Ace's package and content checks, each violation
    named by its rule and place."""
    path = render_edition(load_publication(FIXTURES / "minimal"), "epub", tmp_path / "out").path
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == OPF_PATH:
                data = data.replace(b'property="schema:accessMode"', b'property="schema:x"')
            elif info.filename == "EPUB/text/ch001.xhtml":
                data = data.replace(b' lang="en"', b"").replace(b' xml:lang="en"', b"")
            target.writestr(info, data)
    violations = ace_violations(broken)
    assert any(line.startswith("metadata-accessmode (serious)") for line in violations)
    assert any(
        line.startswith("html-has-lang (serious)") and "text/ch001.xhtml html" in line
        for line in violations
    ), violations


@pytest.mark.golden
def test_epub_golden(container, flagship, spine_paths, update_goldens: bool):
    """The package, navigation and content documents as normalised XML, one golden each.

    The package and NCX are re-indented; the XHTML keeps its own line breaks, since white
    space between inline elements there is text.
    """
    stamp = flagship.build_date.strftime("%Y-%m-%dT%H:%M:%SZ")
    listing = "".join(f"{name}\n" for name in container)
    assert_golden("tccm-wsis20/epub/entries.txt", listing, update_goldens)
    for path in [OPF_PATH, "EPUB/toc.ncx", *spine_paths]:
        root = etree.fromstring(container[path])
        if not path.endswith(".xhtml"):
            etree.indent(root, space="  ")
        text = etree.tostring(root, encoding="unicode").replace(stamp, "(build date)") + "\n"
        assert_golden(f"tccm-wsis20/epub/{path.removeprefix('EPUB/')}", text, update_goldens)


def publication_with(tmp_path: Path, extra: str, files: dict[str, bytes] | None = None):
    """The minimal fixture with extra Markdown after its first paragraph, and extra files."""
    folder = copy_fixture(tmp_path / "pub")
    for name, data in (files or {}).items():
        (folder / name).write_bytes(data)
    marker = "An answer citing a source [@source-2024].\n"
    edit(folder / "master.md", marker, marker + "\n" + extra + "\n")
    return load_publication(folder)


def with_block(publication, block: dict):
    """publication with block added to its AST: what its loader would refuse, for the EPUB's
    own guard to meet."""
    document = publication.ast()
    document["blocks"].insert(1, block)
    return replace(publication, ast_json=json.dumps(document))


def image(target: str) -> dict:
    return {"t": "Para", "c": [{"t": "Image", "c": [["", [], []], [], [target, ""]]}]}


@pytest.mark.parametrize(
    ("block", "complaint"),
    [
        (image("../secret.png"), "outside the publication folder"),
        (image("/etc/hostname"), "outside the publication folder"),
        (image("https://example.org/x.png"), "not a file in the publication folder"),
        ({"t": "RawBlock", "c": ["html", '<img src="/etc/hostname">']}, "raw HTML is not allowed"),
    ],
)
def test_the_epub_writer_is_given_nothing_outside_the_publication(tmp_path: Path, block, complaint):
    (tmp_path / "secret.png").write_bytes(b"not really")
    publication = with_block(publication_with(tmp_path, ""), block)
    with pytest.raises(EditionsError, match=complaint):
        render_edition(publication, "epub", tmp_path / "out")
    assert not (tmp_path / "out" / "pub" / "pub.epub").exists()


@pytest.mark.slow
def test_a_described_image_of_the_text_makes_the_book_visual_and_stays_valid(tmp_path: Path):
    figure = io.BytesIO()
    Image.new("RGB", (40, 40), (20, 60, 160)).save(figure, format="PNG")
    publication = publication_with(
        tmp_path, "![A square of blue](figure.png)", {"figure.png": figure.getvalue()}
    )
    path = render_edition(publication, "epub", tmp_path / "out").path
    with zipfile.ZipFile(path) as archive:
        opf = etree.fromstring(archive.read(OPF_PATH))
    assert meta_values(opf, "schema:accessMode") == ["textual", "visual"]
    assert meta_values(opf, "schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert "alternativeText" in meta_values(opf, "schema:accessibilityFeature")
    counts, messages = epubcheck_problems(path, tmp_path / "epubcheck.json")
    assert counts == [0, 0, 0], messages


def test_a_missing_typeface_is_reported_with_the_package_to_install():
    with pytest.raises(EditionsError, match="fonts-noto-core"):
        find_face(Face("Noto Nonexistent Serif", "Regular", 400, False))


def test_the_cover_follows_the_metadata_and_nothing_else(flagship):
    first = cover_png(flagship.metadata)
    assert cover_png(flagship.metadata) == first
    assert cover_png(replace(flagship.metadata, title="Another title")) != first


def test_a_right_to_left_language_turns_the_pages_and_the_lines(tmp_path: Path):
    publication = publication_with(tmp_path, "")
    publication = replace(publication, metadata=replace(publication.metadata, lang="ar"))
    path = render_edition(publication, "epub", tmp_path / "out").path
    with zipfile.ZipFile(path) as archive:
        opf = etree.fromstring(archive.read(OPF_PATH))
        pages = [
            etree.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith("html")
        ]
    assert opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    assert {(page.get("lang"), page.get("dir")) for page in pages} == {("ar", "rtl")}


@pytest.mark.parametrize("content", [b"", b"not a font at all", b"\x00\x01\x00\x00" + b"\x00" * 8])
def test_a_file_that_is_not_a_font_is_one_clear_error(tmp_path, content):
    broken = tmp_path / "Broken-Regular.ttf"
    broken.write_bytes(content)
    with pytest.raises(EditionsError, match="cannot read the font") as refused:
        subset_font(broken, "abc")
    assert str(broken) in str(refused.value)


def test_a_subset_font_holds_the_characters_asked_for_and_no_others():
    data = subset_font(find_face(Face("Noto Serif", "Regular", 400, False)), "Ab–")
    font = TTFont(io.BytesIO(data))
    mapped = set(font.getBestCmap())
    assert {ord("A"), ord("b"), ord("–")} <= mapped
    assert ord("z") not in mapped
