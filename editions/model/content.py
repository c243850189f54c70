"""Content generated once from the publication's data and shared by every edition."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from editions.adapters.pandoc_ast import (
    AUTOLINK_CLASS,
    Node,
    attr,
    find_div,
    plain_text,
    text_inlines,
    walk,
)
from editions.errors import EditionsError
from editions.model.endorsers import Endorser

ENDORSERS_DIV = "endorsers"
# The heading the endorser list is found by, in every contents list and navigation.
ENDORSERS_SECTION = "signatories"
NUMBER_CLASS = "qnum"
# A heading with a number is a question; the class says so to the stylesheets that cannot
# ask what a heading holds (EPUB reading systems know no :has()).
QUESTION_CLASS = "question"
# A heading's short form, for every contents list and navigation: {short="Action Lines"}.
SHORT = "short"
BOOKMARK = "data-bookmark"
# A publication marks the coalition's words before the list with a div of this class; else
# a section break ('* * *') before the list, in the same run of blocks, opens the section.
ABOUT_CLASS = "about"


@dataclass(frozen=True)
class ContentsEntry:
    """A heading as the tables of contents show it."""

    identifier: str
    level: int
    number: str
    title: str


def insert_endorsers(
    blocks: list[Node],
    endorsers: tuple[Endorser, ...],
    master: Path,
    heading: str,
    details: tuple[str, ...] = (),
) -> None:
    """Fill the master's '::: {#endorsers}' placeholder with the endorser list, under a
    level-1 heading of its own (heading, with the count) that every navigation lists."""
    placeholder = find_div(blocks, ENDORSERS_DIV)
    if placeholder is None:
        if endorsers:
            raise EditionsError(
                "the endorsers file lists endorsers but the master has no place for them; "
                "add a line '::: {#endorsers}' followed by ':::' where the list belongs",
                master,
            )
        return
    if placeholder["c"][1]:
        raise EditionsError(
            "the '{#endorsers}' block must be empty: the list comes from endorsers.yaml",
            master,
        )
    items = [[{"t": "Plain", "c": _endorser_inlines(e, details)}] for e in endorsers]
    placeholder["c"][0][1] = sorted(set(placeholder["c"][0][1]) | {"endorsers"})
    placeholder["c"][1] = [{"t": "BulletList", "c": items}] if items else []
    if items:
        if any(n.get("c") and _identifier(n) == ENDORSERS_SECTION for n in walk(blocks)):
            raise EditionsError(
                f"the id '#{ENDORSERS_SECTION}' names the endorser list's heading, which the "
                "build adds; give your heading or block another id",
                master,
            )
        _open_endorsers_section(blocks, placeholder, f"{heading} ({len(items)})")


def _endorser_inlines(endorser: Endorser, details: tuple[str, ...]) -> list[Node]:
    """The name (linked to the website, if asked and given), then the country if asked."""
    name: list[Node] = text_inlines(endorser.name)
    if "website" in details and endorser.website:
        name = [{"t": "Link", "c": [attr(), name, [endorser.website, ""]]}]
    inlines = [{"t": "Span", "c": [attr(classes=["endorser"]), name]}]
    if "country" in details and endorser.country:
        country = {
            "t": "Span",
            "c": [attr(classes=["endorser-country"]), text_inlines(endorser.country)],
        }
        inlines += [{"t": "Str", "c": ","}, {"t": "Space"}, country]
    return inlines


def _identifier(node: Node) -> str | None:
    """The id of a Header, Div or Span node, if it has one."""
    if node["t"] == "Header":
        return node["c"][1][0]
    if node["t"] in ("Div", "Span"):
        return node["c"][0][0]
    return None


def _open_endorsers_section(blocks: list[Node], placeholder: Node, words: str) -> None:
    """The heading goes before the '.about' div, else in place of the section break that
    leads to the list, else just before the list's top-level block."""
    index = next(i for i, b in enumerate(blocks) if b is placeholder or placeholder in walk([b]))
    start = index
    about = next(
        (
            i
            for i, b in enumerate(blocks[:index])
            if b["t"] == "Div" and ABOUT_CLASS in b["c"][0][1]
        ),
        None,
    )
    if about is not None:
        start = about
    else:
        for i in range(index - 1, -1, -1):
            if blocks[i]["t"] == "Header":
                break
            if blocks[i]["t"] == "HorizontalRule":
                del blocks[i]
                start = i
                break
    header = {
        "t": "Header",
        "c": [1, attr(ENDORSERS_SECTION, ["unnumbered", "endorsers-section"]), text_inlines(words)],
    }
    blocks.insert(start, header)


def mark_questions(blocks: list[Node]) -> None:
    """Give every heading holding a number ('.qnum' span) the class 'question'."""
    for node in walk(blocks):
        if node["t"] != "Header":
            continue
        classes, inlines = node["c"][1][1], node["c"][2]
        numbered = any(n["t"] == "Span" and NUMBER_CLASS in n["c"][0][1] for n in inlines)
        if numbered and QUESTION_CLASS not in classes:
            classes.append(QUESTION_CLASS)


def table_of_contents(blocks: list[Node], depth: int = 2) -> tuple[ContentsEntry, ...]:
    """The headings down to depth, with their number (a '.qnum' span) set apart, each by its
    short form ({short="..."}) if it has one, else its words without a bare URL.

    A heading whose entry differs from its words gets a data-bookmark attribute holding the
    entry, for the PDF's outline."""
    entries = []
    for node in walk(blocks):
        if node["t"] != "Header" or node["c"][0] > depth:
            continue
        level, (identifier, _, attributes), inlines = node["c"]
        numbers = [
            plain_text(n["c"][1])
            for n in inlines
            if n["t"] == "Span" and NUMBER_CLASS in n["c"][0][1]
        ]
        number = numbers[0] if numbers else ""
        words = plain_text(inlines, skip_classes=frozenset({NUMBER_CLASS}))
        short = dict(attributes).get(SHORT, "").strip()
        title = short or plain_text(_without_addresses(inlines), frozenset({NUMBER_CLASS}))
        title = title or words
        if title != words:
            label = f"{number} {title}" if number else title
            node["c"][1][2] = [*(a for a in attributes if a[0] != BOOKMARK), [BOOKMARK, label]]
        entries.append(ContentsEntry(identifier, level, number, title))
    return tuple(entries)


def _without_addresses(inlines: list[Node]) -> list[Node]:
    """inlines less their bare URLs (pandoc's autolinks, class 'uri')."""
    return [
        node for node in inlines if not (node["t"] == "Link" and AUTOLINK_CLASS in node["c"][0][1])
    ]
