"""The reference document pandoc takes its Word styles from, generated from the style spec.

It starts from pandoc's own default reference.docx and rewrites, with python-docx, every
style the specification names, the document defaults, the theme's fonts, the font table
and the hyphenation settings. Nothing binary is kept in the project: this is rebuilt from
templates/docx/styles.yaml (cached in memory by the specification's text).
"""

from __future__ import annotations

import functools
import io

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from lxml import etree

from editions.adapters.pandoc import run_pandoc
from editions.errors import EditionsError
from editions.formats.docx.finish import package_part
from editions.formats.docx.ooxml import new_element, put
from editions.formats.docx.styles import StyleLook, StyleSpec, load_style_spec

THEME_PART = "/word/theme/theme1.xml"
FONT_TABLE_PART = "/word/fontTable.xml"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
ALIGNMENTS = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
STYLE_TYPES = {"paragraph": WD_STYLE_TYPE.PARAGRAPH, "character": WD_STYLE_TYPE.CHARACTER}
# The order WordprocessingML requires for the children of w:pPr and w:rPr (Word rejects
# a file whose properties come in another order).
_BUILT: dict[str, bytes] = {}


def reference_document(spec: StyleSpec | None = None) -> bytes:
    """The reference .docx for pandoc's --reference-doc, built from the style spec."""
    spec = spec or load_style_spec()
    if spec.digest not in _BUILT:
        _BUILT[spec.digest] = _build(spec)
    return _BUILT[spec.digest]


def _build(spec: StyleSpec) -> bytes:
    document = docx.Document(io.BytesIO(default_reference()))
    _drop_revision_ids(document)
    _set_defaults(document, spec)
    for look in spec.styles:
        _get_or_add_style(document, look)
    for look in spec.styles:
        _apply_look(document, document.styles[look.name], look)
    _set_theme_fonts(document, spec)
    _set_font_table(document, spec)
    _set_hyphenation(document, spec)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def default_reference() -> bytes:
    return run_pandoc(["--print-default-data-file", "reference.docx"])


def _drop_revision_ids(document: docx.document.Document) -> None:
    """Word's editing-session ids mean nothing here, and would only make diffs noisy."""
    styles = document.styles.element
    for rsid in styles.findall(f".//{qn('w:rsid')}"):
        rsid.getparent().remove(rsid)


def _set_defaults(document: docx.document.Document, spec: StyleSpec) -> None:
    """Document defaults: the body face (not the theme's), widow control, no spacing."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_fonts(run, spec.body_font)
    normal = spec.style("Normal")
    if normal is not None and normal.size is not None:
        put(run, "w:sz", val=str(round(normal.size * 2)))
        put(run, "w:szCs", val=str(round(normal.size * 2)))
    paragraph = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    for child in list(paragraph):
        paragraph.remove(child)
    put(paragraph, "w:widowControl")
    put(paragraph, "w:spacing", after="0")


def _get_or_add_style(document: docx.document.Document, look: StyleLook) -> BaseStyle:
    try:
        style = document.styles[look.name]
    except KeyError:
        style = document.styles.add_style(look.name, STYLE_TYPES[look.type], look.builtin)
        style.element.styleId = look.name.replace(" ", "")  # Word's ids: 'Header', not 'header'
        return style
    if style.type != STYLE_TYPES[look.type]:
        raise EditionsError(f"style '{look.name}' is not a {look.type} style in Word")
    return style


def _apply_look(document: docx.document.Document, style: BaseStyle, look: StyleLook) -> None:
    """Rewrite the style from the spec alone: its old paragraph and run properties go."""
    element = style.element
    for old in (element.pPr, element.rPr):
        if old is not None:
            element.remove(old)
    if look.builtin:
        element.customStyle = None
    if look.based_on:
        style.base_style = _existing(document, look.based_on, look.name)
    if look.next:
        style.next_paragraph_style = _existing(document, look.next, look.name)
    if look.type == "paragraph":
        _paragraph_format(style, look)
    _font(style, look)
    for properties in (element.pPr, element.rPr):
        if properties is not None and len(properties) == 0:
            element.remove(properties)
    _mirror_linked_style(document, style)


def _existing(document: docx.document.Document, name: str, used_by: str) -> BaseStyle:
    try:
        return document.styles[name]
    except KeyError:
        raise EditionsError(
            f"style '{used_by}' refers to a style '{name}' that neither the spec nor "
            "the default reference document defines"
        ) from None


def _paragraph_format(style: BaseStyle, look: StyleLook) -> None:
    layout = style.paragraph_format
    if look.before is not None:
        layout.space_before = Pt(look.before)
    if look.after is not None:
        layout.space_after = Pt(look.after)
    if look.line is not None:
        layout.line_spacing = Pt(look.line)
        layout.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    if look.align is not None:
        layout.alignment = ALIGNMENTS[look.align]
    if look.left is not None:
        layout.left_indent = Cm(look.left)
    if look.right is not None:
        layout.right_indent = Cm(look.right)
    if look.first_line is not None:
        layout.first_line_indent = Cm(look.first_line)
    if look.hanging is not None:
        layout.first_line_indent = Cm(-look.hanging)
    if look.tab is not None:
        layout.tab_stops.add_tab_stop(Cm(look.tab))
    if look.keep_next is not None:
        layout.keep_with_next = look.keep_next
    if look.keep_lines is not None:
        layout.keep_together = look.keep_lines
    if look.page_break_before is not None:
        layout.page_break_before = look.page_break_before
    element = style.element.get_or_add_pPr()
    if look.hyphenate is False:
        put(element, "w:suppressAutoHyphens")
    if look.outline_level is not None:
        put(element, "w:outlineLvl", val=str(look.outline_level))


def _font(style: BaseStyle, look: StyleLook) -> None:
    font = style.font
    run = style.element.get_or_add_rPr()
    if look.font is not None:
        _set_fonts(run, look.font)
    if look.size is not None:
        font.size = Pt(look.size)
        put(run, "w:szCs", val=str(round(look.size * 2)))
    if look.bold is not None:
        font.bold = look.bold
        put(run, "w:bCs", val="1" if look.bold else "0")
    if look.italic is not None:
        font.italic = look.italic
        put(run, "w:iCs", val="1" if look.italic else "0")
    if look.colour is not None:
        font.color.rgb = RGBColor.from_string(look.colour)
    if look.underline is not None:
        font.underline = look.underline
    if look.letter_spacing is not None:
        put(run, "w:spacing", val=str(round(look.letter_spacing * 20)))


def _mirror_linked_style(document: docx.document.Document, style: BaseStyle) -> None:
    """A paragraph style's linked character style ('Title Char') gets the same run look."""
    link = style.element.find(qn("w:link"))
    if link is None or style.type != WD_STYLE_TYPE.PARAGRAPH:
        return
    linked = document.styles.element.get_by_id(link.get(qn("w:val")))
    if linked is None:
        return
    if linked.rPr is not None:
        linked.remove(linked.rPr)
    if style.element.rPr is not None:
        linked.append(etree.fromstring(etree.tostring(style.element.rPr)))


def _set_fonts(run: etree._Element, family: str) -> None:
    """Name the face for Latin and complex scripts, dropping any theme-font reference."""
    fonts = run.find(qn("w:rFonts"))
    if fonts is None:
        fonts = put(run, "w:rFonts")
    for attribute in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{attribute}"), family)


def _set_theme_fonts(document: docx.document.Document, spec: StyleSpec) -> None:
    """Word's '(Headings)' and '(Body)' theme fonts: what new styles a reviewer adds get."""
    part = package_part(document, THEME_PART)
    theme = etree.fromstring(part.blob)
    for scheme, family in (("majorFont", spec.heading_font), ("minorFont", spec.body_font)):
        latin = theme.find(f".//{{{DRAWING_NS}}}{scheme}/{{{DRAWING_NS}}}latin")
        latin.attrib.clear()
        latin.set("typeface", family)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_font_table(document: docx.document.Document, spec: StyleSpec) -> None:
    """Describe the Noto faces (family, substitute) so Word picks a like face without them."""
    part = package_part(document, FONT_TABLE_PART)
    table = etree.fromstring(part.blob)
    for name, substitute in spec.substitutes.items():
        for old in table.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                table.remove(old)
        font = etree.SubElement(table, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): substitute.alternative})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "00"})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): substitute.family})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_hyphenation(document: docx.document.Document, spec: StyleSpec) -> None:
    """Hyphenate the ragged right edge (but not headings, whose styles forbid it)."""
    settings = document.settings.element
    # Schema order: these follow w:defaultTabStop.
    anchor = settings.find(qn("w:defaultTabStop"))
    elements = [
        new_element("w:autoHyphenation"),
        new_element("w:consecutiveHyphenLimit", val=str(spec.consecutive_hyphens)),
        new_element("w:hyphenationZone", val=str(round(Cm(spec.hyphenation_zone).twips))),
    ]
    for element in reversed(elements):
        anchor.addnext(element)
