"""Small, pure helpers over pandoc's JSON AST (pandoc-types 1.23)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

Node = dict[str, Any]
# The class pandoc gives an address shown as itself (<https://...>, an autolink).
AUTOLINK_CLASS = "uri"


def walk(value: Any) -> Iterator[Node]:
    """Every AST node (a dict with a 't' key) under value, in document order.

    A stack rather than recursive generators, twice as fast on a long document's millions of
    values. A node's children are in its 'c'; other dicts (citations, the metadata map, the
    document) hold theirs in every value."""
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is list:
            stack.extend(reversed(item))
        elif type(item) is dict:
            if "t" in item:
                yield item
                if "c" in item:
                    stack.append(item["c"])
            else:
                stack.extend(reversed(list(item.values())))


def text_inlines(text: str) -> list[Node]:
    """Plain text as Str and Space inlines: a no-break space stays in its word."""
    inlines: list[Node] = []
    for word in re.split(r"[ \t\r\n]+", text.strip(" \t\r\n")):
        if not word:
            continue
        if inlines:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return inlines


def attr(identifier: str = "", classes: list[str] | None = None) -> list[Any]:
    return [identifier, classes or [], []]


def plain_text(inlines: list[Node], skip_classes: frozenset[str] = frozenset()) -> str:
    """The readable text of inlines, leaving out citations and spans of skip_classes."""
    parts: list[str] = []
    for node in inlines:
        kind = node["t"]
        if kind == "Str":
            parts.append(node["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Cite", "Note"):
            continue
        elif kind == "Span":
            if not skip_classes.intersection(node["c"][0][1]):
                parts.append(plain_text(node["c"][1], skip_classes))
        elif kind in (
            "Emph",
            "Strong",
            "Underline",
            "Strikeout",
            "SmallCaps",
            "Superscript",
            "Subscript",
        ):
            parts.append(plain_text(node["c"], skip_classes))
        elif kind in ("Link", "Image"):
            parts.append(plain_text(node["c"][1], skip_classes))
        elif kind == "Quoted":
            open_, close = ("“", "”") if node["c"][0]["t"] == "DoubleQuote" else ("‘", "’")
            parts.append(open_ + plain_text(node["c"][1], skip_classes) + close)
        elif kind in ("Code", "Math"):
            parts.append(node["c"][1])
    # Spaces run together; a no-break space is a character of the text and stays.
    return " ".join(re.split(r"[ \t\r\n]+", "".join(parts))).strip()


def find_div(blocks: list[Node], identifier: str) -> Node | None:
    for node in walk(blocks):
        if node["t"] == "Div" and node["c"][0][0] == identifier:
            return node
    return None
