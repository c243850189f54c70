"""A redline's insertions and deletions named in the PDF's tag tree, for screen readers.

WeasyPrint tags `<ins>` and `<del>` as NonStruct, which says nothing. Each of them holds the
change-bar marks (change_bars.py), empty spans that WeasyPrint tags as empty Span elements:
so the elements holding marks are the changes (or a link, span or emphasis inside one), in
the order of the markup, an element broken across lines or pages being one tag for each
part. Each change's NonStruct becomes an `Ins` or `Del` element,
role-mapped to Span (custom types are allowed in PDF/UA-1 when mapped), titled "Inserted
text" or "Deleted text"; the empty marks are dropped from the tree.
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
import pikepdf

from editions.formats.pdf.change_bars import BAR_CLASS

TYPES = {"ins": ("/Ins", "Inserted text"), "del": ("/Del", "Deleted text")}


def tag_changes(pdf: pikepdf.Pdf, markup: str) -> int:
    """Name the changes of pdf (laid out from markup), in place; how many tags."""
    expected = list(_changes_in(markup))
    root = pdf.Root.StructTreeRoot
    role_map = root.get("/RoleMap", pikepdf.Dictionary())
    for name, _ in TYPES.values():
        role_map[name] = pikepdf.Name.Span
    root.RoleMap = role_map
    tagged = 0
    pending = iter(expected)
    kind, left = None, 0
    for element, marks in _elements_with_marks(root):
        if left <= 0:
            kind, left = next(pending, (None, 0))
            if kind is None:
                break
        change = _change_element(element)
        if change is not None and change.get("/S") == pikepdf.Name.NonStruct:
            name, title = TYPES[kind]
            change.S = pikepdf.Name(name)
            change.T = pikepdf.String(title)
        element.K = pikepdf.Array([k for k in _kids(element) if not _is_mark(k)])
        left -= marks
        tagged += 1
    return tagged


def _changes_in(markup: str) -> Iterator[tuple[str, int]]:
    """Each ins or del of the markup with the marks it holds itself, in document order."""
    document = lxml.html.document_fromstring(markup)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        marks = [
            child for child in element if child.tag == "span" and child.get("class") == BAR_CLASS
        ]
        if marks:
            # The change the marks belong to: the element itself, or the ins or del around it.
            owner = element if element.tag in TYPES else next(element.iterancestors(*TYPES))
            yield owner.tag, len(marks)


def _change_element(element: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    """The ins or del's own element: element, unless it is a span or link inside one, whose
    type it keeps (a link stays a Link)."""
    while element.get("/S") not in (
        pikepdf.Name.NonStruct,
        *(pikepdf.Name(n) for n, _ in TYPES.values()),
    ):
        parent = element.get("/P")
        if not isinstance(parent, pikepdf.Dictionary) or parent.get("/Type") != "/StructElem":
            return None
        element = parent
    return element


def _elements_with_marks(root: pikepdf.Dictionary) -> Iterator[tuple[pikepdf.Dictionary, int]]:
    """The structure elements with empty Span kids (the marks), depth first, in order."""
    stack = list(reversed(_kids(root)))
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue
        kids = _kids(element)
        marks = sum(1 for kid in kids if _is_mark(kid))
        if marks:
            yield element, marks
        stack.extend(reversed(kids))


def _kids(element: pikepdf.Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_mark(kid: object) -> bool:
    return (
        isinstance(kid, pikepdf.Dictionary)
        and kid.get("/S") == pikepdf.Name.Span
        and not _kids(kid)
    )
