"""WordprocessingML's small print: child elements in the order the schema requires, for
the steps that add properties to what pandoc and python-docx wrote."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

PARAGRAPH_PROPERTY_ORDER = """
    pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr
    suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct
    topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind
    contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment
    textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange
"""
RUN_PROPERTY_ORDER = """
    rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint
    noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u
    effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath
"""
SCHEMA_ORDER = {
    "w:pPr": tuple(f"w:{name}" for name in PARAGRAPH_PROPERTY_ORDER.split()),
    "w:rPr": tuple(f"w:{name}" for name in RUN_PROPERTY_ORDER.split()),
}


def new_element(tag: str, **attributes: str) -> etree._Element:
    """A WordprocessingML element: new_element("w:lang", bidi="ar")."""
    made = OxmlElement(tag)
    for name, value in attributes.items():
        made.set(qn(f"w:{name}"), value)
    return made


def put(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Set parent's child tag (replacing one already there) at its place in schema order."""
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    made = new_element(tag, **attributes)
    order = SCHEMA_ORDER[_prefixed(parent.tag)]
    later = {qn(name) for name in order[order.index(tag) + 1 :]}
    successor = next((child for child in parent if child.tag in later), None)
    if successor is None:
        parent.append(made)
    else:
        successor.addprevious(made)
    return made


def _prefixed(tag: str) -> str:
    return "w:" + etree.QName(tag).localname
