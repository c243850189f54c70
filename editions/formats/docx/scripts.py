"""Writing systems in the DOCX: what Word needs to set Arabic and Chinese right, which
pandoc's writer leaves out (it writes a span's language as w:val only, whatever its script).

- Styles: the complex-script face (w:rFonts w:cs) and the East Asian face (w:eastAsia) beside
  the theme's, from editions/model/scripts.py; the document's languages for each script.
- Runs: a run holding Arabic or Hebrew is right to left (w:rtl) and names its language for
  those scripts (w:lang w:bidi); a run holding Han names its East Asian language. In a
  right-to-left document a run of Latin text is left to right, as Word itself types it.
- A right-to-left document's paragraphs, headers and footers are right to left (w:bidi),
  its tables too (w:bidiVisual), its sections' page furniture mirrored (w:bidi on sectPr).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from editions.formats.docx.ooxml import new_element, put
from editions.model.metadata import Metadata
from editions.model.scripts import ARABIC, SIMPLIFIED, is_east_asian, own_script

# The languages Word is told a script's text is in when the publication is in another.
OTHER_BIDI = "ar-SA"
OTHER_EAST_ASIAN = "zh-CN"
LOGICAL = {"left": "start", "right": "end"}
LEFT_TO_RIGHT_MARK = "\u200e"


def set_writing_systems(
    document: Document,
    metadata: Metadata,
    heading_face: str,
    left_to_right: frozenset[str] = frozenset(),
    addresses: frozenset[str] = frozenset(),
) -> None:
    """Faces, languages and directions for every style, paragraph and run; in a
    right-to-left publication the blocks named in left_to_right (their identifiers) stay
    left to right, and so do the links reading as one of addresses (the model's)."""
    lang = metadata.lang
    rtl = metadata.direction == "rtl"
    bidi_lang = lang if rtl else OTHER_BIDI
    east_asian_lang = _word_east_asian(lang) if is_east_asian(lang) else OTHER_EAST_ASIAN
    _set_style_fonts(document, lang, heading_face)
    _set_default_languages(document, bidi_lang, east_asian_lang)
    for part in _text_parts(document):
        _mark_part(part, rtl, bidi_lang, east_asian_lang, left_to_right, addresses)
    notes = [
        r.target_part
        for r in document.part.rels.values()
        if r.reltype.endswith(("/footnotes", "/endnotes"))
    ]
    for note_part in notes:
        # python-docx keeps the notes as bytes: parse, mark, write back.
        root = etree.fromstring(note_part.blob)
        _mark_part(root, rtl, bidi_lang, east_asian_lang, left_to_right, addresses)
        note_part._blob = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
    if rtl:
        # 'left' and 'right' are the page's sides; 'start' and 'end' the text's, as in CSS.
        for part in (document.styles.element, *_text_parts(document)):
            for alignment in part.iter(qn("w:jc")):
                side = alignment.get(qn("w:val"))
                alignment.set(qn("w:val"), LOGICAL.get(side, side))
        for section in document.sections:
            _mirror_section(section._sectPr)


def _mark_part(
    part: etree._Element,
    rtl: bool,
    bidi_lang: str,
    east_asian_lang: str,
    left_to_right: frozenset[str],
    addresses: frozenset[str],
) -> None:
    kept = _paragraphs_within(part, left_to_right) if rtl else set()
    for paragraph in part.iter(qn("w:p")):
        paragraph_rtl = rtl and paragraph not in kept
        for run in paragraph.iter(qn("w:r")):
            _mark_run(run, paragraph_rtl, bidi_lang, east_asian_lang)
        if paragraph_rtl:
            properties = paragraph.find(qn("w:pPr"))
            if properties is None:
                properties = etree.Element(qn("w:pPr"))
                paragraph.insert(0, properties)
            put(properties, "w:bidi")
            _close_addresses(paragraph, addresses)
    if not rtl:
        return
    for table in part.iter(qn("w:tbl")):
        table_properties = table.find(qn("w:tblPr"))
        if table_properties is not None and table_properties.find(qn("w:bidiVisual")) is None:
            table_properties.insert(0, etree.Element(qn("w:bidiVisual")))


def _close_addresses(paragraph: etree._Element, addresses: frozenset[str]) -> None:
    """A left-to-right mark after each address shown as itself (an autolink, as dir="ltr"
    in the HTML): a right-to-left paragraph would otherwise set its closing slash at its
    start. The mark is a character, which every word processor's bidi algorithm reads (seen
    in LibreOffice)."""
    for link in paragraph.iter(qn("w:hyperlink")):
        if "".join(text.text or "" for text in link.iter(qn("w:t"))) in addresses:
            mark = new_element("w:r")
            mark.append(new_element("w:t"))
            mark[0].text = LEFT_TO_RIGHT_MARK
            link.addnext(mark)


def _paragraphs_within(part: etree._Element, names: frozenset[str]) -> set[etree._Element]:
    """The paragraphs inside the bookmarks of those names: pandoc brackets each block with
    an identifier in a bookmark of its name, beside or inside its first paragraph."""
    starts, ends, paragraph = qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:p")
    inside: set[etree._Element] = set()
    open_marks: set[str] = set()
    for element in part.iter(starts, ends, paragraph):
        if element.tag == starts and element.get(qn("w:name")) in names:
            open_marks.add(element.get(qn("w:id")))
            holder = element.getparent()
            if holder is not None and holder.tag == paragraph:
                inside.add(holder)
        elif element.tag == ends:
            open_marks.discard(element.get(qn("w:id")))
        elif element.tag == paragraph and open_marks:
            inside.add(element)
    return inside


def _set_style_fonts(document: Document, lang: str, heading_face: str) -> None:
    """Every font a style names gets the faces of the other scripts beside it: the
    publication's own complex script (Arabic unless it is Hebrew), its region's Han."""
    own = own_script(lang)
    complex_script = own if own is not None and not is_east_asian(lang) else ARABIC
    east_asian = own if own is not None and is_east_asian(lang) else SIMPLIFIED
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        is_heading = fonts.get(qn("w:ascii")) == heading_face
        fonts.set(qn("w:cs"), complex_script.heading if is_heading else complex_script.text)
        fonts.set(qn("w:eastAsia"), east_asian.heading if is_heading else east_asian.text)
        for attribute in ("cstheme", "eastAsiaTheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)


def _set_default_languages(document: Document, bidi_lang: str, east_asian_lang: str) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    language = run.find(qn("w:lang"))
    if language is None:
        language = put(run, "w:lang")
    language.set(qn("w:bidi"), bidi_lang)
    language.set(qn("w:eastAsia"), east_asian_lang)
    theme_language = document.settings.element.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:bidi"), bidi_lang)
        theme_language.set(qn("w:eastAsia"), east_asian_lang)


def _mark_run(run: etree._Element, rtl: bool, bidi_lang: str, east_asian_lang: str) -> None:
    text = "".join(RUN_TEXT(run))
    if not text:
        return
    kinds = {unicodedata.bidirectional(character) for character in text}
    right_to_left = bool(kinds & {"R", "AL"})
    han = any(_is_han(character) for character in text)
    properties = run.find(qn("w:rPr"))
    if properties is None:
        properties = etree.Element(qn("w:rPr"))
        run.insert(0, properties)
    if right_to_left or (rtl and "L" not in kinds):
        # Arabic; or, in a right-to-left document, digits and punctuation between Arabic
        # words (a page number), which would otherwise stand apart as left to right.
        put(properties, "w:rtl")
    elif rtl:
        marked = properties.find(qn("w:rtl"))
        if marked is not None:
            properties.remove(marked)
    if right_to_left or han:
        language = properties.find(qn("w:lang"))
        if language is None:
            language = put(properties, "w:lang")
        if right_to_left:
            language.set(qn("w:bidi"), bidi_lang)
        if han:
            language.set(qn("w:eastAsia"), east_asian_lang)
    if len(properties) == 0:
        run.remove(properties)


def _mirror_section(section: etree._Element) -> None:
    """The section right to left: Word lays its columns and page furniture out mirrored."""
    if section.find(qn("w:bidi")) is None:
        later = {
            qn(name) for name in ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
        }
        successor = next((child for child in section if child.tag in later), None)
        element = etree.Element(qn("w:bidi"))
        if successor is None:
            section.append(element)
        else:
            successor.addprevious(element)


def _text_parts(document: Document) -> Iterable[etree._Element]:
    """The body, every header and footer (the notes are bytes to python-docx: see above)."""
    yield document.element.body
    seen = set()
    for section in document.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            element = part._element
            if id(element) not in seen:
                seen.add(id(element))
                yield element


def _is_han(character: str) -> bool:
    return unicodedata.name(character, "").startswith(
        ("CJK", "IDEOGRAPHIC", "HIRAGANA", "KATAKANA", "HANGUL", "FULLWIDTH", "BOPOMOFO")
    )


def _word_east_asian(lang: str) -> str:
    """Word's East Asian language tags name a region: zh-Hans is zh-CN, zh-Hant zh-TW."""
    subtags = [part.lower() for part in lang.split("-")]
    if subtags[0] == "zh":
        if "hk" in subtags:
            return "zh-HK"
        if "hant" in subtags or "tw" in subtags:
            return "zh-TW"
        return "zh-CN"
    return {"ja": "ja-JP", "ko": "ko-KR"}.get(subtags[0], lang)


RUN_TEXT = etree.XPath(
    "./w:t/text() | ./w:delText/text()",
    namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
)
