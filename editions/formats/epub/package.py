"""The EPUB package document (OPF): where things are, and the metadata readers and shops read."""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass

from lxml import etree

from editions.errors import EditionsError
from editions.formats.epub.container import Entries
from editions.formats.epub.prepare import Picture
from editions.model.metadata import Metadata

CONTAINER = "META-INF/container.xml"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
OPF = f"{{{OPF_NS}}}"
DC = f"{{{DC_NS}}}"
# What pandoc states on its own about accessibility; this edition states it from what it holds.
REPLACED_PROPERTIES = ("schema:", "a11y:", "dcterms:modified", "dcterms:conformsTo")


@dataclass(frozen=True)
class Item:
    """A manifest entry, its href resolved to a path in the container."""

    id: str
    path: str
    media_type: str
    properties: frozenset[str]


class PackageDocument:
    """The OPF of an EPUB, parsed; changed in place, then serialised once."""

    def __init__(self, entries: Entries) -> None:
        self.path = _package_path(entries)
        self.root = etree.fromstring(entries[self.path])
        self.metadata = _without_opf_prefix(self._one(f"{OPF}metadata"))
        self.manifest = self._one(f"{OPF}manifest")

    def items(self) -> list[Item]:
        folder = posixpath.dirname(self.path)
        return [
            Item(
                element.get("id"),
                posixpath.normpath(posixpath.join(folder, element.get("href"))),
                element.get("media-type"),
                frozenset((element.get("properties") or "").split()),
            )
            for element in self.manifest.iter(f"{OPF}item")
        ]

    def item_with(self, prop: str) -> Item | None:
        return next((item for item in self.items() if prop in item.properties), None)

    def items_of_type(self, media_type: str) -> list[Item]:
        return [item for item in self.items() if item.media_type == media_type]

    def spine(self) -> list[Item]:
        by_id = {item.id: item for item in self.items()}
        return [by_id[ref.get("idref")] for ref in self.root.iter(f"{OPF}itemref")]

    def leave_out_of_reading_order(self, item: Item) -> None:
        """Keep item in the spine (a reading system's menu still reaches it) but skip it
        when paging through the book."""
        for ref in self.root.iter(f"{OPF}itemref"):
            if ref.get("idref") == item.id:
                ref.set("linear", "no")

    def add_item(self, item_id: str, path: str, media_type: str) -> None:
        href = posixpath.relpath(path, posixpath.dirname(self.path))
        etree.SubElement(
            self.manifest, f"{OPF}item", {"id": item_id, "href": href, "media-type": media_type}
        )

    def describe(
        self,
        metadata: Metadata,
        modified: dt.datetime,
        accessibility: list[tuple[str, str]],
        cover: Item | None,
    ) -> None:
        """Set the dates, subjects, cover and accessibility statements pandoc leaves out."""
        for meta in list(self.metadata.iter(f"{OPF}meta")):
            if (meta.get("property") or "").startswith(REPLACED_PROPERTIES):
                self.metadata.remove(meta)
        for date in self.metadata.iter(f"{DC}date"):
            date.text = metadata.date.isoformat()
        stamp = modified.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._meta(property="dcterms:modified", text=stamp)
        if metadata.version:
            # schema.org's CreativeWork.version: the edition's version, as the colophon says.
            self._meta(property="schema:version", text=metadata.version)
        if cover is not None:
            # EPUB 2 readers find the cover image by this name.
            self._meta(name="cover", content=cover.id)
        for prop, value in accessibility:
            self._meta(property=prop, text=value)

    def serialise(self) -> bytes:
        etree.indent(self.root, space="  ")
        return xml_bytes(self.root)

    def _meta(self, text: str | None = None, **attributes: str) -> None:
        element = etree.SubElement(self.metadata, f"{OPF}meta", attributes)
        element.text = text

    def _one(self, tag: str) -> etree._Element:
        element = self.root.find(tag)
        if element is None:
            raise EditionsError(f"the EPUB's package document has no <{tag.split('}')[1]}>")
        return element


def xml_bytes(root: etree._Element, doctype: str | None = None) -> bytes:
    """A document as pandoc writes them: declaration in double quotes, final newline."""
    body = etree.tostring(root.getroottree(), encoding="UTF-8", doctype=doctype)
    if body.startswith(b"<?xml"):
        body = body.split(b"\n", 1)[1]
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def accessibility_metadata(pictures: list[Picture], summary: str) -> list[tuple[str, str]]:
    """schema.org accessibility properties that are true of a text-first book with a cover.

    The cover alone does not make the book visual: it repeats the title page in words.
    """
    described = all(picture.has_alt for picture in pictures)
    modes = ["textual", "visual"] if pictures else ["textual"]
    sufficient = ["textual", "textual,visual"] if pictures and described else []
    sufficient = sufficient or (["textual,visual"] if pictures else ["textual"])
    features = [
        "tableOfContents",
        "readingOrder",
        "structuralNavigation",
        "displayTransformability",
    ]
    if described:
        features.append("alternativeText")
    return (
        [("schema:accessMode", mode) for mode in modes]
        + [("schema:accessModeSufficient", mode) for mode in sufficient]
        + [("schema:accessibilityFeature", feature) for feature in sorted(features)]
        + [("schema:accessibilityHazard", "none"), ("schema:accessibilitySummary", summary)]
    )


def _without_opf_prefix(metadata: etree._Element) -> etree._Element:
    """pandoc declares an opf: prefix on <metadata>; without it, new <meta> stay unprefixed."""
    replacement = etree.Element(metadata.tag, nsmap={"dc": DC_NS})
    replacement.text = metadata.text
    replacement.extend(list(metadata))
    metadata.getparent().replace(metadata, replacement)
    return replacement


def _package_path(entries: Entries) -> str:
    try:
        container = etree.fromstring(entries[CONTAINER])
    except (KeyError, etree.XMLSyntaxError) as error:
        raise EditionsError("the EPUB has no readable META-INF/container.xml") from error
    rootfile = container.find(f".//{{{CONTAINER_NS}}}rootfile")
    if rootfile is None or rootfile.get("full-path") not in entries:
        raise EditionsError("the EPUB's container.xml names no package document")
    return rootfile.get("full-path")
