"""The document pandoc's EPUB writer is given: the publication's AST, made safe and labelled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from editions.adapters.pandoc_ast import Node, attr, plain_text, text_inlines, walk
from editions.model.publication import Publication
from editions.model.safety import check_document

# The only metadata the EPUB writer and its template read; pandoc would also follow fields
# such as cover-image or css to files anywhere, so nothing else is passed on.
WRITER_FIELDS = (
    "title",
    "subtitle",
    "author",
    "date",
    "lang",
    "identifier",
    "publisher",
    "rights",
    "description",
    "version",
    "consultation",
)
REFERENCES_ID = "references"
# Raw HTML that would make pandoc fetch a resource, from the network or any folder.


@dataclass(frozen=True)
class Picture:
    """An image of the text (not the cover): whether a reader without sight is told about it."""

    target: str
    has_alt: bool


def epub_document(publication: Publication) -> dict[str, Any]:
    """A fresh AST for the EPUB: safe resources, trimmed metadata, sections typed for EPUB."""
    document = publication.ast()
    # The loader checked this already; check again what a renderer is handed (its images
    # are decoded and checked anew).
    check_document(document, publication.folder, publication.master)
    document["meta"] = _writer_meta(document["meta"], publication)
    _type_sections(document["blocks"])
    return document


def pictures(document: dict[str, Any]) -> list[Picture]:
    return [
        Picture(node["c"][2][0], bool(plain_text(node["c"][1]).strip()))
        for node in walk(document["blocks"])
        if node["t"] == "Image"
    ]


def _writer_meta(meta: dict[str, Any], publication: Publication) -> dict[str, Any]:
    kept = {key: meta[key] for key in WRITER_FIELDS if key in meta}
    metadata = publication.metadata
    kept["identifier"] = _string(metadata.identifier)
    kept["lang"] = _string(metadata.lang)
    kept["page-progression-direction"] = _string(metadata.direction)
    if metadata.keywords:
        kept["subject"] = {"t": "MetaList", "c": [_inlines(k) for k in metadata.keywords]}
    if metadata.consultation:
        consultation = metadata.consultation
        link = {
            "t": "Link",
            "c": [attr(), text_inlines(consultation.name), [consultation.url, ""]],
        }
        kept["consultation"] = {
            "t": "MetaMap",
            "c": {
                "name": _inlines(consultation.name),
                "organiser": _inlines(consultation.organiser),
                "link": {"t": "MetaInlines", "c": [link]},
            },
        }
    kept["cover-description"] = _inlines(cover_description(publication))
    return kept


def cover_description(publication: Publication) -> str:
    """What the cover shows, in words: its text alternative."""
    metadata = publication.metadata
    parts = [f"Cover: {metadata.title}."]
    if metadata.subtitle:
        parts.append(f"{metadata.subtitle}.")
    parts.append(f"{metadata.author}, {metadata.display_date}.")
    return " ".join(parts)


def _type_sections(blocks: list[Node]) -> None:
    """Mark the level-1 sections for reading systems: chapters, and the bibliography."""
    for block in blocks:
        if block["t"] != "Header" or block["c"][0] != 1:
            continue
        identifier, _, attributes = block["c"][1]
        kind = "bibliography" if identifier == REFERENCES_ID else "chapter"
        attributes.extend([["epub:type", kind], ["role", f"doc-{kind}"]])


def _inlines(text: str) -> dict[str, Any]:
    return {"t": "MetaInlines", "c": text_inlines(text)}


def _string(text: str) -> dict[str, Any]:
    return {"t": "MetaString", "c": text}
