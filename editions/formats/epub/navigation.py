"""The EPUB's navigation: the contents and landmarks document, and the legacy NCX's labels."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from lxml import etree

from editions.adapters import templates
from editions.errors import EditionsError
from editions.formats.epub.package import xml_bytes
from editions.model.content import ContentsEntry
from editions.model.metadata import Metadata

NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"


@dataclass
class ContentsItem:
    """One entry of the navigation's table of contents, with the entries it holds."""

    href: str
    number: str
    title: str
    children: list[ContentsItem] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Landmark:
    kind: str  # an epub:type from the EPUB structural semantics vocabulary
    href: str
    label: str


def entry_title(entry: ContentsEntry) -> str:
    """A heading's words as a contents entry shows them (its short form, no bare URL: see
    editions/model/content.py)."""
    return entry.title


def contents_items(
    entries: tuple[ContentsEntry, ...], places: dict[str, str], nav_path: str
) -> list[ContentsItem]:
    """The entries as a tree (level 2 inside level 1), linked from the navigation document.

    places maps an element id to the path (in the container) of the document holding it.
    """
    items: list[ContentsItem] = []
    for entry in entries:
        if entry.identifier not in places:
            raise EditionsError(f"the heading '#{entry.identifier}' is missing from the EPUB")
        item = ContentsItem(
            href=link(nav_path, places[entry.identifier], entry.identifier),
            number=entry.number,
            title=entry_title(entry),
        )
        if entry.level > 1 and items:
            items[-1].children.append(item)
        else:
            items.append(item)
    return items


def link(from_path: str, to_path: str, fragment: str = "") -> str:
    """The relative reference from one container path to another."""
    relative = posixpath.relpath(to_path, posixpath.dirname(from_path))
    return f"{relative}#{fragment}" if fragment else relative


def navigation_document(
    metadata: Metadata, stylesheet: str, contents: list[ContentsItem], landmarks: list[Landmark]
) -> bytes:
    page = templates.render(
        "epub/nav.xhtml.j2",
        lang=metadata.lang,
        direction=metadata.direction,
        stylesheet=stylesheet,
        contents=contents,
        landmarks=landmarks,
        words=metadata.words,
    )
    return page.encode("utf-8")


def relabel_ncx(ncx: bytes, labels: dict[str, str]) -> bytes:
    """Give the NCX's entries the navigation document's labels (keyed by their src)."""
    root = etree.fromstring(ncx)
    for point in root.iter(f"{{{NCX_NS}}}navPoint"):
        src = point.find(f"{{{NCX_NS}}}content").get("src")
        text = point.find(f"{{{NCX_NS}}}navLabel/{{{NCX_NS}}}text")
        if src in labels and text is not None:
            text.text = labels[src]
    etree.indent(root, space="  ")
    return xml_bytes(root)
