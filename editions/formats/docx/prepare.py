"""The publication's AST made ready for pandoc's Word writer: every role gets a Word style.

Pure functions over a fresh copy of the pandoc JSON AST. Pandoc's docx writer turns a
`custom-style` attribute into a paragraph style (on a Div) or a character style (on a Span),
so the master's classes become named styles a reviewer can see and change in Word.
"""

from __future__ import annotations

from typing import Any

from editions.adapters.pandoc_ast import AUTOLINK_CLASS, Node, attr, text_inlines, walk
from editions.model.changes import DELETION, INSERTION, marked
from editions.model.content import NUMBER_CLASS
from editions.model.metadata import Metadata
from editions.model.redline import SUMMARY_DIV, Redline

# The title-block and document-property fields pandoc's docx writer reads; anything else
# in the metadata would become a stray custom document property.
WORD_META = ("title", "subtitle", "author", "date", "lang", "keywords", "publisher", "rights")
NOTE_ROLES = ("no-answer", "provenance")

SECTION_BREAK_TEXT = "* * *"
# What a paragraph ending in ':' may introduce.
INTRODUCED = ("BulletList", "OrderedList", "BlockQuote", "Div")
# A tab between a question's number and its text, so the number hangs in the margin.
TAB = {"t": "RawInline", "c": ["openxml", "<w:r><w:tab/></w:r>"]}


def word_document(
    document: dict[str, Any],
    roles: dict[str, str],
    metadata: Metadata,
    endorsers: int = 0,
    redline: Redline | None = None,
) -> dict[str, Any]:
    """Return document (changed in place) with its roles carried by Word styles."""
    document["meta"] = {k: v for k, v in document["meta"].items() if k in WORD_META}
    blocks = document["blocks"]
    hang_question_numbers(blocks, roles["question-number"])
    lighten_questions(blocks, roles["question-text"], roles["heading-address"])
    style_notes(blocks, {role: roles[role] for role in NOTE_ROLES})
    replace_section_breaks(blocks, roles["section-break"])
    keep_lead_ins_with_what_follows(blocks, roles["lead-in"])
    style_changes_summary(blocks, roles["changes-heading"], roles["changes-summary"])
    strong_as_style(blocks, roles["strong"])
    if metadata.consultation is not None or endorsers:
        blocks.insert(0, consultation_block(metadata, endorsers, roles["consultation"], redline))
    return document


def hang_question_numbers(blocks: list[Node], style: str) -> None:
    """Give each heading's number span a character style and a tab after it."""
    for node in walk(blocks):
        if node["t"] != "Header":
            continue
        inlines = node["c"][2]
        for index, inline in enumerate(inlines):
            if inline["t"] == "Span" and NUMBER_CLASS in inline["c"][0][1]:
                _set_custom_style(inline, style)
                following = inlines[index + 1] if index + 1 < len(inlines) else None
                if following is not None and following["t"] == "Space":
                    inlines[index + 1] = dict(TAB)
                break


def lighten_questions(blocks: list[Node], text_style: str, address_style: str) -> None:
    """A question's words in a lighter character style than its number; a bare URL in it
    (and what follows it) on a line of its own, smaller, as in every edition."""
    for node in walk(blocks):
        if node["t"] != "Header":
            continue
        inlines = node["c"][2]
        start = next(
            (
                i + 1
                for i, n in enumerate(inlines)
                if n["t"] == "Span" and NUMBER_CLASS in n["c"][0][1]
            ),
            None,
        )
        if start is None:
            continue
        if start < len(inlines) and inlines[start] == TAB:
            start += 1
        rest = inlines[start:]
        address = next(
            (i for i, n in enumerate(rest) if n["t"] == "Link" and AUTOLINK_CLASS in n["c"][0][1]),
            None,
        )
        words, after = (rest, []) if address is None else (rest[:address], rest[address:])
        while words and words[-1]["t"] in ("Space", "SoftBreak"):
            words.pop()
        styled = [_span(text_style, words)]
        if after:
            styled += [{"t": "LineBreak"}, _span(address_style, after)]
        inlines[start:] = styled


def _span(style: str, inlines: list[Node]) -> Node:
    return {"t": "Span", "c": [["", [], [["custom-style", style]]], inlines]}


def strong_as_style(blocks: list[Node], style: str) -> None:
    """**Bold** in the text as a character style (pandoc writes Strong as direct bold)."""
    stack: list[Any] = [blocks]
    while stack:
        item = stack.pop()
        if type(item) is list:
            for index, child in enumerate(item):
                if type(child) is dict and child.get("t") == "Strong":
                    item[index] = _span(style, child["c"])
            stack.extend(item)
        elif type(item) is dict:
            stack.extend(item.values())


def style_notes(blocks: list[Node], styles: dict[str, str]) -> None:
    """Divs of a note class take that note's paragraph style."""
    for node in walk(blocks):
        if node["t"] != "Div":
            continue
        for role, style in styles.items():
            if role in node["c"][0][1]:
                _set_custom_style(node, style)


def style_changes_summary(blocks: list[Node], heading: str, style: str) -> None:
    """A redline's summary (the Div #changes) in styles of its own, its list as paragraphs:
    a reader, and the round trip of accepting or rejecting every change, tell it from the
    text."""
    summary = next((b for b in blocks if b["t"] == "Div" and b["c"][0][0] == SUMMARY_DIV), None)
    if summary is None:
        return
    parts = summary["c"][1]
    for index, part in enumerate(parts):
        if part["t"] == "Div":
            _set_custom_style(part, heading)
        elif part["t"] == "BulletList":
            paragraphs = [{"t": "Para", "c": item[0]["c"]} for item in part["c"]]
            parts[index] = _styled_div(style, paragraphs)


def replace_section_breaks(blocks: list[Node], style: str) -> None:
    """A horizontal rule becomes a centred '* * *' paragraph, not a drawn line."""
    for rule in [node for node in walk(blocks) if node["t"] == "HorizontalRule"]:
        rule.clear()
        rule.update(_styled_div(style, [{"t": "Para", "c": text_inlines(SECTION_BREAK_TEXT)}]))


def keep_lead_ins_with_what_follows(blocks: list[Node], style: str) -> None:
    """A paragraph ending in ':' stays on the page of the list or quotation it introduces."""
    for block_list in _block_lists(blocks):
        for index, block in enumerate(block_list[:-1]):
            following = block_list[index + 1]
            if _ends_with_colon(block) and following["t"] in INTRODUCED:
                block_list[index] = _styled_div(style, [block])


def consultation_block(
    metadata: Metadata, endorsers: int, style: str, redline: Redline | None = None
) -> Node:
    """Below the date, as the other editions' title blocks have it: to whom, in answer to
    what (its address linked), and how many endorse it (in a redline, how many did)."""
    lines: list[list[Node]] = []
    words = metadata.words
    consultation = metadata.consultation
    if consultation is not None:
        said = words.say("in-response", addressee=metadata.addressee, name=consultation.name)
        lines.append(text_inlines(said))
        address = [{"t": "Str", "c": consultation.url}]
        lines.append(
            [{"t": "Link", "c": [attr(classes=[AUTOLINK_CLASS]), address, [consultation.url, ""]]}]
        )
    if endorsers:
        count = words.count("organisations", endorsers)
        line = text_inlines(words.say("endorsed-by-count", organisations=count))
        earlier = redline.earlier("endorsed-by") if redline is not None else None
        if earlier is not None:
            before = text_inlines(words.say("endorsed-by-count", organisations=earlier))
            line = marked(before, DELETION, redline.revision) + marked(
                line, INSERTION, redline.revision
            )
        lines.append(line)
    inlines: list[Node] = []
    for line in lines:
        inlines += [{"t": "LineBreak"}, *line] if inlines else line
    return _styled_div(style, [{"t": "Para", "c": inlines}])


def _block_lists(blocks: list[Node]) -> list[list[Node]]:
    """blocks and every list of blocks nested in a Div or a BlockQuote."""
    lists = [blocks]
    for node in walk(blocks):
        if node["t"] == "Div":
            lists.append(node["c"][1])
        elif node["t"] == "BlockQuote":
            lists.append(node["c"])
    return lists


def _ends_with_colon(block: Node) -> bool:
    if block["t"] != "Para" or not block["c"]:
        return False
    last = block["c"][-1]
    return last["t"] == "Str" and last["c"].endswith(":")


def _styled_div(style: str, blocks: list[Node]) -> Node:
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], blocks]}


def _set_custom_style(node: Node, style: str) -> None:
    attributes = node["c"][0][2]
    attributes[:] = [pair for pair in attributes if pair[0] != "custom-style"]
    attributes.append(["custom-style", style])
