"""Directions within a right-to-left publication: what is written left to right keeps its
direction, so that its punctuation stays at its own end.

- A reference whose text starts left to right (an English title) is an entry of that
  direction: dir="ltr" on its block, which the HTML, EPUB and PDF write as it is and the
  DOCX reads back (left_to_right_blocks) for its paragraphs.
- An address shown as itself (an autolink) is left to right: its closing slash would
  otherwise stand at its start. EPUB stylesheets may not set direction: the attribute does.
"""

from __future__ import annotations

import unicodedata

from editions.adapters.pandoc_ast import AUTOLINK_CLASS, Node, plain_text, walk


def keep_directions(blocks: list[Node], direction: str) -> None:
    if direction != "rtl":
        return
    for node in walk(blocks):
        if node["t"] == "Div" and "csl-entry" in node["c"][0][1]:
            text = "".join(plain_text(b["c"]) for b in node["c"][1] if b["t"] in ("Para", "Plain"))
            if first_strong_direction(text) == "ltr":
                _set_direction(node["c"][0])
        elif node["t"] == "Link" and AUTOLINK_CLASS in node["c"][0][1]:
            _set_direction(node["c"][0])


def left_to_right_blocks(blocks: list[Node]) -> frozenset[str]:
    """The identifiers of the blocks set left to right (by keep_directions)."""
    return frozenset(
        node["c"][0][0]
        for node in walk(blocks)
        if node["t"] == "Div" and node["c"][0][0] and ["dir", "ltr"] in node["c"][0][2]
    )


def left_to_right_addresses(blocks: list[Node]) -> frozenset[str]:
    """The addresses shown as themselves (autolinks) that keep_directions set left to right,
    as their text reads."""
    return frozenset(
        plain_text(node["c"][1])
        for node in walk(blocks)
        if node["t"] == "Link" and ["dir", "ltr"] in node["c"][0][2]
    )


def first_strong_direction(text: str) -> str | None:
    """The direction of text's first strongly directional character, as dir="auto" finds it."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def _set_direction(attributes: list) -> None:
    pairs = attributes[2]
    pairs[:] = [pair for pair in pairs if pair[0] != "dir"] + [["dir", "ltr"]]
