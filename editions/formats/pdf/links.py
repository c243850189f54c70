"""One link annotation per link, each under a Link element of the tag tree (PDF/UA-1).

WeasyPrint gives every box inside a link its own annotation, and its tagging hangs that
annotation from the box's own structure element: the number span of a contents entry, the
host span of an address, a line of a wrapped link all become a Span holding an OBJR, which
PDF/UA-1 forbids (Matterhorn 28-011: a link annotation not nested within a Link tag). The
link's own box already has an annotation covering them; those inside it are dropped before
the PDF is written, so that their text stays in the Link element and the annotation that
remains is the Link's. Boxes WeasyPrint tags as Link (the <a> itself, its ::before and
::after) keep theirs, unless they draw no text (an empty part of a contents entry's leader).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def drop_nested_link_annotations(document: Any) -> int:
    """Drop from each page of a laid-out WeasyPrint document the links of boxes nested in a
    box linking to the same target and not tagged Link themselves; the number dropped."""
    dropped = 0
    for page in document.pages:
        linked = {id(link[3]): link for link in page.links}
        nested = {
            id(box)
            for box, outer in _boxes_with_outer_link(page._page_box, None, linked)
            if outer is not None and (not _tagged_link(box) or not _draws_text(box))
        }
        kept = [link for link in page.links if id(link[3]) not in nested]
        dropped += len(page.links) - len(kept)
        page.links[:] = kept
    return dropped


def _boxes_with_outer_link(
    box: Any, outer: tuple | None, linked: dict[int, tuple]
) -> Iterator[tuple[Any, tuple | None]]:
    """Every linked box with the nearest enclosing link to the same target, or None."""
    link = linked.get(id(box))
    if link is not None:
        same = outer is not None and outer[:2] == link[:2]
        yield box, outer if same else None
        outer = link
    for child in box.all_children():
        yield from _boxes_with_outer_link(child, outer, linked)


def _draws_text(box: Any) -> bool:
    """Whether box draws any text: a contents entry's leader with no room for a dot draws
    none, and its annotation would hang from a Link element that says nothing."""
    if getattr(box, "text", None):
        return True
    return any(_draws_text(child) for child in box.all_children())


def _tagged_link(box: Any) -> bool:
    """WeasyPrint tags the box as a Link element: it is an <a> or one of its pseudo-elements."""
    return (box.element_tag or "").split(":")[0] == "a"
