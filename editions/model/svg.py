"""What an SVG image may hold: drawing only, nothing that runs, fetches or multiplies.

Refused rather than cleaned, like raw HTML in a master: a script, an event attribute (on*),
a <foreignObject>, a DOCTYPE (and so any entity), a processing instruction, a reference that
does not start with '#' (href, xlink:href, url(...)), CSS @import or escapes, more elements
than MAX_SVG_ELEMENTS, or references that draw more than MAX_SVG_DRAWN elements or chain
deeper than MAX_SVG_REFERENCE_DEPTH (a <use> bomb). What passes is re-serialised by lxml
without comments, so every edition carries the very tree that was checked.
"""

from __future__ import annotations

import re

from lxml import etree

from editions.model.limits import MAX_SVG_DRAWN, MAX_SVG_ELEMENTS, MAX_SVG_REFERENCE_DEPTH

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
REFUSED_ELEMENTS = frozenset({"script", "foreignObject", "iframe", "embed", "object"})
ANIMATIONS = frozenset({"set", "animate", "animateTransform", "animateMotion"})
URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.I)
LOCAL_REFERENCE = re.compile(r"url\(\s*['\"]?\s*#([^)'\"\s]+)", re.I)


class SvgError(Exception):
    """What is wrong with an SVG, said after its name ("the image 'x.svg' ...")."""


_Refused = SvgError


def check_svg(data: bytes) -> bytes:
    """The SVG in data re-serialised; raise SvgError when it may not be published."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise _Refused(f"is not well-formed SVG ({error.msg})") from error
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _Refused("declares a DOCTYPE; export it as plain SVG, without DOCTYPE or entities")
    if root.tag != f"{SVG}svg":
        raise _Refused("is not an SVG image (its root is not <svg>)")
    # Comments are removed while parsing: whatever else stands beside the root is a PI.
    if (
        next(root.itersiblings(preceding=True), None) is not None
        or next(root.itersiblings(), None) is not None
    ):
        raise _Refused("holds a processing instruction; remove it")
    elements = list(root.iter())
    if len(elements) > MAX_SVG_ELEMENTS:
        raise _Refused(f"has more than {MAX_SVG_ELEMENTS:,} elements; simplify it")
    ids: dict[str, etree._Element] = {}
    for element in elements:
        _check_element(element)
        if isinstance(element.tag, str) and element.get("id"):
            ids[element.get("id")] = element
    _check_drawn(root, elements, ids)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _check_element(element: etree._Element) -> None:
    if not isinstance(element.tag, str):  # an entity or a processing instruction
        raise _Refused("holds an entity or a processing instruction; remove it")
    name = etree.QName(element).localname
    if name in REFUSED_ELEMENTS or element.tag.startswith(XHTML):
        raise _Refused(f"holds a <{name}> element; SVG images may only draw")
    for key, value in element.attrib.items():
        attribute = etree.QName(key).localname
        if attribute.lower().startswith("on"):
            raise _Refused(f"has an event attribute '{attribute}'; remove it")
        if attribute == "href" and not value.strip().startswith("#"):
            raise _Refused(f"refers to '{value[:60]}'; an SVG image may only refer to itself (#id)")
        _check_style(value, f"attribute '{attribute}'", css=attribute == "style")
    if name in ANIMATIONS:
        target = element.get("attributeName", "")
        if target.lower().startswith("on") or target.endswith("href"):
            raise _Refused(f"animates the attribute '{target}'; remove the <{name}>")
    if name == "style":
        _check_style(element.text or "", "<style>", css=True)


def _check_style(value: str, where: str, css: bool) -> None:
    if css and ("@import" in value.lower() or "\\" in value):
        raise _Refused(f"has CSS @import or escapes in its {where}; remove them")
    for target in URL.findall(value):
        if not target.startswith("#"):
            raise _Refused(f"refers to '{target[:60]}' in its {where}; only #id references")


def _check_drawn(root: etree._Element, elements: list, ids: dict[str, etree._Element]) -> None:
    """Count the elements drawn, a reference counting as what it refers to; one pass per
    level of references, so that a chain deeper than the limit (or a cycle) never settles."""
    references = {id(e): _references(e, ids) for e in elements}
    drawn = {id(e): 0 for e in elements}
    for _ in range(MAX_SVG_REFERENCE_DEPTH + 2):
        before = dict(drawn)
        for element in reversed(elements):  # children before their parents
            total = 1 + sum(drawn[id(child)] for child in element)
            total += sum(before[id(target)] for target in references[id(element)])
            drawn[id(element)] = min(total, MAX_SVG_DRAWN + 1)
        if drawn[id(root)] > MAX_SVG_DRAWN:
            raise _Refused(
                f"draws more than {MAX_SVG_DRAWN:,} elements once its <use> references are "
                "followed; simplify it"
            )
        if drawn == before:
            return
    raise _Refused(
        f"has references (<use>, url(#...)) chained more than {MAX_SVG_REFERENCE_DEPTH} deep "
        "or referring to themselves; simplify it"
    )


def _references(element: etree._Element, ids: dict[str, etree._Element]) -> list:
    found = []
    for key, value in element.attrib.items():
        if etree.QName(key).localname == "href" and value.strip().startswith("#"):
            found.append(value.strip()[1:])
        found.extend(LOCAL_REFERENCE.findall(value))
    return [ids[name] for name in found if name in ids]
