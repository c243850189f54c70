"""Finishing the EPUB pandoc writes: navigation, page titles, embedded fonts, metadata."""

from __future__ import annotations

import posixpath
import string
from dataclasses import dataclass

from lxml import etree

from editions.adapters import templates
from editions.adapters.fonts import Face, font_face_rule, font_format
from editions.errors import EditionsError
from editions.formats.base import TABLES_STYLESHEET
from editions.formats.epub.container import Entries
from editions.formats.epub.navigation import (
    ContentsItem,
    Landmark,
    contents_items,
    entry_title,
    link,
    navigation_document,
    relabel_ncx,
)
from editions.formats.epub.package import PackageDocument, accessibility_metadata, xml_bytes
from editions.formats.epub.prepare import REFERENCES_ID, Picture
from editions.model.publication import Publication
from editions.model.words import Words
from editions.paths import TEMPLATES

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XHTML = f"{{{XHTML_NS}}}"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
XHTML_TYPE = "application/xhtml+xml"
NCX_TYPE = "application/x-dtbncx+xml"
STYLESHEET = TEMPLATES / "epub" / "book.css"
DRAFT_STYLESHEET = TEMPLATES / "common" / "draft.css"
FONT_FOLDER = "fonts"
FONT_NOTE = "/* The typefaces, embedded under the SIL Open Font License, cut down to the text. */\n"


@dataclass
class Page:
    """A content document of the spine, parsed."""

    path: str
    root: etree._Element

    @property
    def body(self) -> etree._Element:
        return self.root.find(f"{XHTML}body")

    @property
    def ids(self) -> list[str]:
        return [element.get("id") for element in self.root.iter() if element.get("id")]

    @property
    def is_cover(self) -> bool:
        return "cover-page" in (self.body.get("class") or "").split()

    @property
    def is_title_page(self) -> bool:
        return any(e.get(EPUB_TYPE) == "titlepage" for e in self.body.iter(f"{XHTML}section"))

    @property
    def first_section(self) -> str | None:
        section = self.body.find(f".//{XHTML}section")
        return section.get("id") if section is not None else None

    def set_title(self, title: str) -> None:
        self.root.find(f"{XHTML}head/{XHTML}title").text = title

    def text(self) -> str:
        return "".join(self.body.itertext())

    def serialise(self) -> bytes:
        return xml_bytes(self.root, doctype="<!DOCTYPE html>")


def finish_book(entries: Entries, publication: Publication, pictures: list[Picture]) -> Entries:
    """The container's entries with the EPUB finished; entries is left unchanged."""
    book = dict(entries)
    package = PackageDocument(book)
    nav = package.item_with("nav")
    stylesheets = package.items_of_type("text/css")
    if nav is None or len(stylesheets) != 1:
        raise EditionsError("pandoc's EPUB lacks its navigation document or its stylesheet")
    pages = [
        Page(item.path, etree.fromstring(book[item.path]))
        for item in package.spine()
        if item.media_type == XHTML_TYPE and item.path != nav.path
    ]
    places = {identifier: page.path for page in pages for identifier in page.ids}
    if not publication.theme.contents:
        # The navigation document stays (every EPUB has one), out of the pages read in turn.
        package.leave_out_of_reading_order(nav)
    contents = contents_items(publication.contents, places, nav.path)

    _title_pages(pages, publication)
    if publication.metadata.is_draft:
        _mark_draft(pages, publication.metadata.draft_notice)
    book[nav.path] = navigation_document(
        publication.metadata,
        link(nav.path, stylesheets[0].path),
        contents,
        _landmarks(pages, places, nav.path, publication.metadata.words),
    )
    for ncx in package.items_of_type(NCX_TYPE):
        book[ncx.path] = relabel_ncx(book[ncx.path], _labels(contents, ncx.path, nav.path))
    for page in pages:
        book[page.path] = page.serialise()

    stylesheet = STYLESHEET.read_text(encoding="utf-8") + templates.read(TABLES_STYLESHEET)
    if publication.metadata.is_draft:
        stylesheet += DRAFT_STYLESHEET.read_text(encoding="utf-8")
    stylesheet = publication.theme.resolve_css(stylesheet)
    characters = set(stylesheet) | set(string.printable.strip())
    characters |= set(_book_text(book, pages, nav.path))
    fonts = _embed_fonts(book, package, publication.theme.cut_faces(characters))
    book[stylesheets[0].path] = (_font_faces(fonts, stylesheets[0].path) + stylesheet).encode()

    package.describe(
        publication.metadata,
        publication.build_date,
        accessibility_metadata(pictures, accessibility_summary(pictures)),
        package.item_with("cover-image"),
    )
    book[package.path] = package.serialise()
    return book


def accessibility_summary(pictures: list[Picture]) -> str:
    images = (
        "The only image is the cover, which has a text alternative repeating its words."
        if not pictures
        else "The cover and the images in the text have text alternatives."
        if all(p.has_alt for p in pictures)
        else "Some images in the text have no text alternative."
    )
    return (
        "A reflowable text publication that takes the reader's font, size, spacing and colours. "
        "A table of contents links every section; headings mark each section, and the reading "
        "order follows the text. Citations link to the list of references. "
        f"{images} No page numbers from a print edition are given."
    )


def _title_pages(pages: list[Page], publication: Publication) -> None:
    """Name every content document by what it holds, not by its file name."""
    titles = {entry.identifier: entry for entry in publication.contents}
    for page in pages:
        entry = titles.get(page.first_section or "")
        if page.is_cover:
            page.set_title(publication.metadata.words["cover"])
        elif entry is not None:
            number = f"{entry.number} " if entry.number else ""
            page.set_title(number + entry_title(entry))
        else:
            page.set_title(publication.metadata.title)


def _mark_draft(pages: list[Page], notice: str) -> None:
    """A draft's banner atop every content document but the cover (an image of the title
    page): a reader who opens the book at any chapter meets it first."""
    for page in pages:
        if page.is_cover:
            continue
        banner = etree.Element(f"{XHTML}p", {"class": "draft-notice", "role": "note"})
        banner.text = notice
        banner.tail = "\n"
        page.body.insert(0, banner)
        banner.getparent().text = "\n"


def _landmarks(
    pages: list[Page], places: dict[str, str], nav_path: str, words: Words
) -> list[Landmark]:
    marks = []
    cover = next((page for page in pages if page.is_cover), None)
    if cover is not None:
        marks.append(Landmark("cover", link(nav_path, cover.path), words["cover"]))
    title_page = next((page for page in pages if page.is_title_page), None)
    if title_page is not None:
        marks.append(Landmark("titlepage", link(nav_path, title_page.path), words["title-page"]))
    marks.append(Landmark("toc", "#toc", words["contents"]))
    body = next((p for p in pages if p.body.get(EPUB_TYPE) == "bodymatter"), None)
    if body is not None:
        marks.append(Landmark("bodymatter", link(nav_path, body.path), words["start-of-text"]))
    if REFERENCES_ID in places:
        href = link(nav_path, places[REFERENCES_ID], REFERENCES_ID)
        marks.append(Landmark("bibliography", href, words["references"]))
    return marks


def _labels(contents: list[ContentsItem], ncx_path: str, nav_path: str) -> dict[str, str]:
    """Each contents label, keyed by its link as written from the NCX."""
    labels = {}
    for item in _flatten(contents):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(nav_path), item.href))
        path, _, fragment = target.partition("#")
        labels[link(ncx_path, path, fragment)] = item.label
    return labels


def _flatten(items: list[ContentsItem]) -> list[ContentsItem]:
    return [each for item in items for each in (item, *_flatten(item.children))]


def _book_text(book: Entries, pages: list[Page], nav_path: str) -> str:
    nav = etree.fromstring(book[nav_path])
    return "".join(page.text() for page in pages) + "".join(nav.itertext())


def _embed_fonts(
    book: Entries, package: PackageDocument, faces: tuple[tuple[Face, bytes], ...]
) -> dict[Face, str]:
    """Add the book's faces, cut down to the characters they set, to container and manifest."""
    folder = posixpath.join(posixpath.dirname(package.path), FONT_FOLDER)
    paths = {}
    for face, data in faces:
        kind = font_format(data)
        path = posixpath.join(folder, f"{face.file_stem}.{kind}")
        book[path] = data
        package.add_item(f"font-{face.file_stem}", path, f"font/{kind}")
        paths[face] = path
    return paths


def _font_faces(fonts: dict[Face, str], stylesheet_path: str) -> str:
    rules = [font_face_rule(face, link(stylesheet_path, path)) for face, path in fonts.items()]
    return FONT_NOTE + "".join(rules) + "\n"
