"""A redline's tracked changes, finished: what pandoc's Word writer leaves out.

Pandoc turns the AST's `insertion` and `deletion` spans into `w:ins` and `w:del` runs, but
never marks a paragraph mark as inserted or deleted: rejecting a wholly inserted paragraph
would leave it empty, and accepting a deleted one would too. Word records such a paragraph
with the revision in its mark's run properties (`w:pPr/w:rPr/w:ins`). python-docx does not
see text inside `w:ins`/`w:del`, so this works on the XML with lxml.
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

W_ID = qn("w:id")
LINKS_IN_REVISIONS = etree.XPath(
    "//w:ins/w:hyperlink | //w:del/w:hyperlink",
    namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
)
# The elements a paragraph's properties may hold after its mark's run properties.
AFTER_MARK = (qn("w:sectPr"), qn("w:pPrChange"))
# The settings that come before w:trackRevisions in Word's settings part (CT_Settings).
BEFORE_TRACK_REVISIONS = frozenset(
    qn(f"w:{name}")
    for name in (
        "writeProtection",
        "view",
        "zoom",
        "removePersonalInformation",
        "removeDateAndTime",
        "doNotDisplayPageBoundaries",
        "displayBackgroundShape",
        "printPostScriptOverText",
        "printFractionalCharacterWidth",
        "printFormsData",
        "embedTrueTypeFonts",
        "embedSystemFonts",
        "saveSubsetFonts",
        "saveFormsData",
        "mirrorMargins",
        "alignBordersAndEdges",
        "bordersDoNotSurroundHeader",
        "bordersDoNotSurroundFooter",
        "gutterAtTop",
        "hideSpellingErrors",
        "hideGrammaticalErrors",
        "activeWritingStyle",
        "proofState",
        "formsDesign",
        "attachedTemplate",
        "linkStyles",
        "stylePaneFormatFilter",
        "stylePaneSortMethod",
        "documentType",
        "mailMerge",
        "revisionView",
    )
)


def finish_revisions(document: Document) -> None:
    """Mark the paragraph marks of wholly inserted and deleted paragraphs, and turn change
    tracking on, so that a reviewer's own edits are tracked too."""
    body = document.element.body
    next_id = 1 + max((int(v) for v in body.xpath("//@w:id") if v.lstrip("-").isdigit()), default=0)
    next_id = _links_hold_revisions(body, next_id)
    for paragraph in body.iter(qn("w:p")):
        change = _whole_change(paragraph)
        if change is not None:
            _mark_paragraph(paragraph, change, next_id)
            next_id += 1
    _track_revisions(document.settings.element)


def _links_hold_revisions(body: etree._Element, next_id: int) -> int:
    """Pandoc writes a link inside an insertion as w:ins > w:hyperlink, which the schema does
    not allow and LibreOffice drops (the citation "(Body 2025)" reads "()"): split the
    revision around the link, and put one inside the link, around its runs."""
    for link in LINKS_IN_REVISIONS(body):
        change = link.getparent()
        after = etree.Element(change.tag, dict(change.attrib))
        after.set(W_ID, str(next_id))
        inner = etree.Element(change.tag, dict(change.attrib))
        inner.set(W_ID, str(next_id + 1))
        next_id += 2
        for sibling in list(link.itersiblings()):
            after.append(sibling)
        for run in list(link):
            inner.append(run)
        link.append(inner)
        change.addnext(link)
        link.addnext(after)
        for emptied in (change, after):
            if len(emptied) == 0:
                emptied.getparent().remove(emptied)
    return next_id


def _whole_change(paragraph: etree._Element) -> etree._Element | None:
    """The w:ins or w:del that holds every run of paragraph, if one kind holds them all."""
    changes: list[etree._Element | None] = []
    for run in paragraph.iter(qn("w:r")):
        changes.append(_enclosing_change(run, paragraph))
    if not changes or any(c is None for c in changes):
        return None
    kinds = {c.tag for c in changes if c is not None}
    return changes[0] if len(kinds) == 1 else None


def _enclosing_change(run: etree._Element, paragraph: etree._Element) -> etree._Element | None:
    for ancestor in run.iterancestors():
        if ancestor is paragraph:
            return None
        if ancestor.tag in (qn("w:ins"), qn("w:del")):
            return ancestor
    return None


def _mark_paragraph(paragraph: etree._Element, change: etree._Element, identifier: int) -> None:
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        properties = etree.Element(qn("w:pPr"))
        paragraph.insert(0, properties)
    mark = properties.find(qn("w:rPr"))
    if mark is None:
        mark = etree.Element(qn("w:rPr"))
        later = next((child for child in properties if child.tag in AFTER_MARK), None)
        if later is None:
            properties.append(mark)
        else:
            later.addprevious(mark)
    revision = etree.Element(change.tag)
    revision.set(W_ID, str(identifier))
    for name in ("w:author", "w:date"):
        if (value := change.get(qn(name))) is not None:
            revision.set(qn(name), value)
    mark.insert(0, revision)


def _track_revisions(settings: etree._Element) -> None:
    if settings.find(qn("w:trackRevisions")) is not None:
        return
    element = etree.Element(qn("w:trackRevisions"))
    earlier = [child for child in settings if child.tag in BEFORE_TRACK_REVISIONS]
    if earlier:
        earlier[-1].addnext(element)
    else:
        settings.insert(0, element)
