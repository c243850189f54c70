"""Punctuation the language's way, once for every edition, from the language's table in
templates/common/words.yaml.

- Quotation marks. Pandoc reads "..." as a quotation and its writers print English marks
  whatever the language: a publication in French, Spanish, Russian or Arabic is given
  guillemets instead (French with narrow no-break spaces inside).
- The space before ? ! : ; in French, a narrow no-break space, so that a line never starts
  with the mark ("Que doit garder l'examen ?" typed with a plain space).

The text's blocks come from pandoc, which has curled their quotes and apostrophes already;
the metadata's title fields are plain text, typeset here the same way (typeset), so that
every edition's title block says the same.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from editions.adapters.pandoc_ast import Node
from editions.model.metadata import Metadata
from editions.model.words import Words

# What pandoc's writers print: a language that writes these needs nothing done.
PANDOC_MARKS = ("“", "”", "‘", "’")
# The marks a French space before becomes narrow and unbreakable (and the one after «).
SPACED_BEFORE = "?!:;»"
SPACED_AFTER = "«"
# Pandoc's smart punctuation, for plain text: dashes and ellipses, then quotes by what is
# before them (an opening one at the start, after a space or an opening bracket).
SMART = ((re.compile("---"), "—"), (re.compile("--"), "–"), (re.compile(r"\.\.\."), "…"))
OPENS_AFTER = " \t([{\u2014\u2013/"
TITLE_FIELDS = ("title", "subtitle", "short_title")


def localise_punctuation(blocks: list[Node], words: Words) -> None:
    """Write blocks' quotations with the language's marks, and its spaces around
    punctuation as the language has them."""
    marks = words.quotes
    if marks != PANDOC_MARKS:
        _each_inline_list(blocks, lambda inlines: _unquote(inlines, marks))
    space = words["punctuation-space"]
    if space:
        _each_inline_list(blocks, lambda inlines: _tighten(inlines, space))


def typeset_titles(metadata: Metadata) -> Metadata:
    """The metadata with its title, subtitle and short title typeset."""
    typeset_fields = {key: typeset(getattr(metadata, key), metadata.words) for key in TITLE_FIELDS}
    return dataclasses.replace(metadata, **typeset_fields)


def typeset(text: str, words: Words) -> str:
    """Plain text (a title) with curled quotes and apostrophes in the language's marks,
    dashes and ellipses as pandoc makes them, and the language's space before ? ! : ;."""
    for pattern, replacement in SMART:
        text = pattern.sub(replacement, text)
    marks = words.quotes
    out: list[str] = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        if char == '"':
            out.append(marks[0] if before == "" or before in OPENS_AFTER else marks[1])
        elif char == "'":
            if before.isalnum():
                out.append("’")  # an apostrophe (it's, members')
            else:
                out.append(marks[2] if before == "" or before in OPENS_AFTER else marks[3])
        else:
            out.append(char)
    text = "".join(out)
    space = words["punctuation-space"]
    if space:
        text = re.sub(f" +(?=[{re.escape(SPACED_BEFORE)}])", space, text)
        text = re.sub(f"(?<=[{re.escape(SPACED_AFTER)}]) +", space, text)
    return text


def _each_inline_list(value: Any, action: Any) -> None:
    """action on every list under value, innermost first (quotations within quotations)."""
    if isinstance(value, dict):
        for child in value.values():
            _each_inline_list(child, action)
    elif isinstance(value, list):
        for item in value:
            _each_inline_list(item, action)
        action(value)


def _unquote(inlines: list[Any], marks: tuple[str, ...]) -> None:
    """Each Quoted node of the list replaced, in place, by its marks and its inlines."""
    index = 0
    while index < len(inlines):
        item = inlines[index]
        if isinstance(item, dict) and item.get("t") == "Quoted":
            kind, inner = item["c"]
            opening, closing = marks[:2] if kind["t"] == "DoubleQuote" else marks[2:]
            inlines[index : index + 1] = [_text(opening), *inner, _text(closing)]
            index += len(inner) + 2
        else:
            index += 1


def _tighten(inlines: list[Any], space: str) -> None:
    """A breaking space before ? ! : ; » (or after «) made the language's unbreakable one."""
    for index in range(1, len(inlines) - 1):
        node, before, after = inlines[index], inlines[index - 1], inlines[index + 1]
        if not (isinstance(node, dict) and node.get("t") in ("Space", "SoftBreak")):
            continue
        if _starts(after, SPACED_BEFORE) or _ends(before, SPACED_AFTER):
            inlines[index] = _text(space)


def _starts(node: Any, characters: str) -> bool:
    return _is_text(node) and node["c"][:1] in tuple(characters)


def _ends(node: Any, characters: str) -> bool:
    return _is_text(node) and node["c"][-1:] in tuple(characters)


def _is_text(node: Any) -> bool:
    return isinstance(node, dict) and node.get("t") == "Str" and bool(node["c"])


def _text(text: str) -> Node:
    return {"t": "Str", "c": text}
