"""What pandoc's Word writer leaves undone, as small functions over a python-docx Document.

Document properties from the metadata, the language for spell-checking, the page, a running
header and a page-numbered footer (none on the first page, where the title stands).
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm
from lxml import etree

from editions.errors import EditionsError
from editions.formats.docx.styles import PageLayout
from editions.model.metadata import Metadata
from editions.model.words import placeholders

APP_PART = "/docProps/app.xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def package_part(document: Document, partname: str) -> Part:
    for part in document.part.package.iter_parts():
        if part.partname == partname:
            return part
    raise EditionsError(f"the Word document has no {partname} part")


def set_core_properties(document: Document, metadata: Metadata, built: dt.datetime) -> None:
    """Title, author, subject, keywords, language and dates, all from the publication."""
    stamp = built.astimezone(dt.UTC).replace(tzinfo=None)
    properties = document.core_properties
    properties.title = fit_property(metadata.title)
    properties.author = fit_property(metadata.author)
    properties.last_modified_by = fit_property(metadata.author)
    properties.subject = fit_property(metadata.description)
    properties.comments = fit_property(metadata.description)
    properties.keywords = fit_property(", ".join(metadata.keywords))
    properties.language = fit_property(metadata.lang)
    properties.identifier = fit_property(metadata.identifier)
    properties.version = fit_property(metadata.version)
    properties.created = stamp
    properties.modified = stamp
    properties.revision = 1


def fit_property(text: str, limit: int = 255) -> str:
    """Word keeps at most 255 characters in a document property: shorten with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def set_application_properties(document: Document, metadata: Metadata, words: int) -> None:
    """Replace the template's app.xml (a made-up application name and stale word counts)
    with the words of the answers, as `editions check` counts them against the limits."""
    company = f"<Company>{escape(metadata.publisher)}</Company>" if metadata.publisher else ""
    package_part(document, APP_PART)._blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{EXTENDED_NS}">{company}<Words>{words}</Words>'
        "<DocSecurity>0</DocSecurity>"
        "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


def style_heading_links(document: Document, link_style: str) -> None:
    """A link in a heading is set smaller and lighter than the heading (pandoc gives every
    link's run the Hyperlink style, whatever span holds it)."""
    link_id = document.styles[link_style].style_id
    hyperlink_id = document.styles["Hyperlink"].style_id
    headings = {document.styles[f"Heading {n}"].style_id for n in (1, 2, 3)}
    for paragraph in document.element.body.iter(qn("w:p")):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is None or style.get(qn("w:val")) not in headings:
            continue
        for run_style in paragraph.iterfind(
            f"{qn('w:hyperlink')}/{qn('w:r')}/{qn('w:rPr')}/{qn('w:rStyle')}"
        ):
            if run_style.get(qn("w:val")) == hyperlink_id:
                run_style.set(qn("w:val"), link_id)


# Where a part names the styles it uses.
STYLE_REFERENCES = ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink")


def drop_unused_styles(document: Document, kept: frozenset[str]) -> None:
    """Remove the styles nothing uses (pandoc's code highlighting, for one), keeping those the
    specification names (kept), the defaults and every style a kept one is built on."""
    styles = document.styles.element
    used: set[str] = set()
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is styles:
            continue
        if element is None:  # a part python-docx keeps as bytes (the footnotes)
            if not str(part.partname).endswith(".xml"):
                continue
            element = etree.fromstring(part.blob)
        for tag in STYLE_REFERENCES:
            used.update(e.get(qn("w:val")) for e in element.iter(qn(tag)))
    by_id = {s.get(qn("w:styleId")): s for s in styles.iterfind(qn("w:style"))}
    wanted = [
        style_id
        for style_id, style in by_id.items()
        if style_id in used
        or style.get(qn("w:default")) in ("1", "true")
        or style.find(qn("w:name")).get(qn("w:val")).casefold() in kept
    ]
    keep: set[str] = set()
    while wanted:
        style_id = wanted.pop()
        if style_id in keep or style_id not in by_id:
            continue
        keep.add(style_id)
        for tag in ("w:basedOn", "w:link", "w:next"):
            reference = by_id[style_id].find(qn(tag))
            if reference is not None:
                wanted.append(reference.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)


def drop_empty_comments(document: Document) -> None:
    """The template's empty comments part would only puzzle a reviewer's tools."""
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == COMMENTS_REL and "<w:comment " not in rel.target_part.blob.decode():
            document.part.drop_rel(rel_id)


def set_language(document: Document, lang: str) -> None:
    """The language Word spell-checks the text in; and no mark saying it is already checked."""
    settings = document.settings.element
    proof_state = settings.find(qn("w:proofState"))
    if proof_state is not None:
        settings.remove(proof_state)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    language = run.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run.append(language)
    language.set(qn("w:val"), lang)
    theme_language = settings.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:val"), lang)


def set_page(section: Section, layout: PageLayout, paper: str) -> None:
    if paper not in layout.sizes:
        raise EditionsError(f"the DOCX style spec has no page size for paper '{paper}'")
    width, height = layout.sizes[paper]
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.top_margin = Cm(layout.margins["top"])
    section.bottom_margin = Cm(layout.margins["bottom"])
    section.left_margin = Cm(layout.margins["left"])
    section.right_margin = Cm(layout.margins["right"])
    section.header_distance = Cm(layout.header)
    section.footer_distance = Cm(layout.footer)
    section.gutter = Cm(0)


def set_running_header(section: Section, text: str, style: str) -> None:
    paragraph = section.header.paragraphs[0]
    paragraph.style = style
    paragraph.text = text


def set_page_footer(section: Section, label: str, style: str) -> None:
    """The footer: label with live fields, '{page}' for PAGE and '{pages}' for NUMPAGES."""
    paragraph = section.footer.paragraphs[0]
    paragraph.style = style
    for piece, field in label_pieces(label):
        if piece:
            paragraph.add_run(piece)
        if field:
            paragraph._p.append(_simple_field(field))


def leave_first_page_bare(section: Section, header_style: str, footer_style: str) -> None:
    """No running header or page number on the first page: the title block is there."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False
    section.first_page_header.paragraphs[0].style = header_style
    section.first_page_footer.paragraphs[0].style = footer_style


def label_pieces(label: str) -> list[tuple[str, str]]:
    """'Page {page} of {pages}' -> [('Page ', 'PAGE'), (' of ', 'NUMPAGES'), ('', '')]."""
    fields = {"page": "PAGE", "pages": "NUMPAGES", "": ""}
    return [(text, fields[name]) for text, name in placeholders(label, ("page", "pages"))]


def _simple_field(instruction: str) -> OxmlElement:
    """A live field showing '1' until Word or LibreOffice computes it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} \\* MERGEFORMAT ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    return field
