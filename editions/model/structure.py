"""The shape of a master's text: how deep its blocks nest, and that each id names one place.

Nesting is checked twice: on the text, before pandoc parses it (a list or quotation thousands
of levels deep costs pandoc gigabytes and Python its stack), and exactly on the parsed
document. The text's count is an estimate from each line's markers and indentation, so it
is held to twice the limit: only text no reader could follow reaches it.
"""

from __future__ import annotations

import re
from pathlib import Path

from editions.adapters.pandoc_ast import Node, plain_text, walk
from editions.errors import EditionsError
from editions.model.limits import MAX_NESTING

# A block quotation or list marker at the start of what is left of a line.
MARKER = re.compile(r"[ \t]*(?:>|(?:[-*+]|\(?(?:\d{1,9}|[a-zA-Z]|#)[.)])(?=[ \t]|$))")
DIV_FENCE = re.compile(r":{3,}[ \t]*(\S?)")
CONTAINERS = frozenset({"BulletList", "OrderedList", "BlockQuote", "Div", "DefinitionList"})
WITH_ATTRIBUTES = {
    "Header": 1,
    "Div": 0,
    "Span": 0,
    "CodeBlock": 0,
    "Code": 0,
    "Link": 0,
    "Image": 0,
    "Table": 0,
    "Figure": 0,
}


def check_text_nesting(text: str, path: Path) -> list[int]:
    """Refuse text nested far too deep for pandoc; return each line's estimated depth."""
    depths: list[int] = []
    divs = 0
    for number, line in enumerate(text.split("\n"), start=1):
        fence = DIV_FENCE.match(line)
        if fence:
            divs = divs + 1 if fence.group(1) else max(divs - 1, 0)
        markers, position = 0, 0
        while found := MARKER.match(line, position):
            markers, position = markers + 1, found.end()
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        depth = divs + markers + indent // 2
        if depth > 2 * MAX_NESTING:
            raise _too_deep(path, number)
        depths.append(depth)
    return depths


def check_nesting(blocks: list[Node], path: Path, depths: list[int]) -> None:
    """Refuse lists, quotations and divs nested more than MAX_NESTING levels deep."""
    stack: list[tuple[object, int]] = [(blocks, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, list):
            stack.extend((item, depth) for item in value)
        elif isinstance(value, dict) and "t" in value:
            inner = depth + (value["t"] in CONTAINERS)
            if inner > MAX_NESTING:
                deepest = max(range(len(depths)), key=depths.__getitem__) if depths else 0
                raise _too_deep(path, deepest + 1)
            if "c" in value:
                stack.append((value["c"], inner))


def _too_deep(path: Path, line: int) -> EditionsError:
    return EditionsError(
        f"lists, quotations and divs may be nested at most {MAX_NESTING} levels deep; "
        "flatten this part of the text",
        path,
        line,
    )


def check_identifiers(blocks: list[Node], text: str, path: Path) -> None:
    """Refuse an id given to two places: a link to it could only reach one of them."""
    seen: set[str] = set()
    stack: list[object] = [blocks]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict) and "t" in value:
            index = WITH_ATTRIBUTES.get(value["t"])
            identifier = value["c"][index][0] if index is not None else ""
            if identifier and identifier in seen:
                raise _duplicate(identifier, text, path)
            if identifier:
                seen.add(identifier)
            if "c" in value:
                stack.append(value["c"])


def check_headings_have_words(blocks: list[Node], text: str, path: Path) -> None:
    """Refuse a heading with no words ('# {.unnumbered}'): every contents list, bookmark
    and navigation would show it as a blank line."""
    for node in walk(blocks):
        if node["t"] == "Header" and not plain_text(node["c"][2]).strip():
            empty = re.search(r"^#+[ \t]*(\{[^}\n]*\})?[ \t]*$", text, re.M)
            line = text.count("\n", 0, empty.start()) + 1 if empty else None
            raise EditionsError("a heading has no words; write its title or remove it", path, line)


def _duplicate(identifier: str, text: str, path: Path) -> EditionsError:
    written = re.compile(r"\{[^{}\n]*#" + re.escape(identifier) + r"(?=[\s}])")
    lines = [text.count("\n", 0, m.start()) + 1 for m in written.finditer(text)]
    line = lines[1] if len(lines) > 1 else (lines[0] if lines else None)
    first = f" (first on line {lines[0]})" if len(lines) > 1 else ""
    what = (
        "keep one '::: {#endorsers}' placeholder: the list is printed once"
        if identifier == "endorsers"
        else "give each heading or block its own id"
    )
    return EditionsError(f"the id '#{identifier}' is given twice{first}; {what}", path, line)
