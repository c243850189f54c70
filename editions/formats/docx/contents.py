"""The DOCX contents list: a real TOC field, filled in with the level-1 headings so that
LibreOffice shows it as written and Word rebuilds it, with page numbers, on opening."""

from __future__ import annotations

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from editions.formats.docx.ooxml import new_element
from editions.model.content import ContentsEntry

# Level-1 headings (the questions, the endorsers, the references), as links to them.
INSTRUCTION = ' TOC \\o "1-1" \\h \\z \\u '


def add_contents(
    document: Document,
    entries: tuple[ContentsEntry, ...],
    heading_style: str,
    entry_style: str,
    first_heading_style: str,
    heading: str,
) -> None:
    """Put the contents list before the first paragraph in first_heading_style."""
    body = document.element.body
    style_ids = {name: document.styles[name].style_id for name in (heading_style, entry_style)}
    first_heading_id = document.styles[first_heading_style].style_id
    anchor = next(
        (p for p in body.iter(qn("w:p")) if _style_of(p) == first_heading_id),
        None,
    )
    level_one = [entry for entry in entries if entry.level == 1]
    if anchor is None or not level_one:
        return
    paragraphs = [_paragraph(style_ids[heading_style], [_text_run(heading)])]
    for index, entry in enumerate(level_one):
        runs: list[etree._Element] = []
        if index == 0:
            runs += [
                _field_char("begin", dirty=True),
                _instruction(INSTRUCTION),
                _field_char("separate"),
            ]
        runs.append(_entry_link(entry))
        if index == len(level_one) - 1:
            runs += [_field_char("end"), _page_break()]  # the text starts on a page of its own
        paragraphs.append(_paragraph(style_ids[entry_style], runs))
    for paragraph in paragraphs:
        anchor.addprevious(paragraph)


def _style_of(paragraph: etree._Element) -> str | None:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val")) if style is not None else None


def _paragraph(style_id: str, children: list[etree._Element]) -> etree._Element:
    properties = new_element("w:pPr")
    properties.append(new_element("w:pStyle", val=style_id))
    return _element("w:p", properties, *children)


def _text_run(text: str) -> etree._Element:
    return _element("w:r", _text("w:t", text))


def _instruction(text: str) -> etree._Element:
    return _element("w:r", _text("w:instrText", text))


def _tab_run() -> etree._Element:
    return _element("w:r", new_element("w:tab"))


def _page_break() -> etree._Element:
    return _element("w:r", new_element("w:br", type="page"))


def _field_char(kind: str, dirty: bool = False) -> etree._Element:
    # A dirty field is one Word updates when the document opens.
    flags = {"dirty": "true"} if dirty else {}
    return _element("w:r", new_element("w:fldChar", fldCharType=kind, **flags))


def _element(tag: str, *children: etree._Element) -> etree._Element:
    made = new_element(tag)
    made.extend(children)
    return made


def _text(tag: str, text: str) -> etree._Element:
    """A w:t or w:instrText holding text, its spaces kept."""
    made = new_element(tag)
    made.text = text
    made.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return made


def _entry_link(entry: ContentsEntry) -> etree._Element:
    link = new_element("w:hyperlink", anchor=entry.identifier, history="1")
    if entry.number:
        link.append(_text_run(entry.number))
        link.append(_tab_run())
    link.append(_text_run(entry.title))
    return link
