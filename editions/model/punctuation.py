"""Punctuation the language's way, once for every edition, from the language's table in
templates/common/words.yaml.

- Quotation marks. Pandoc reads "..." as a quotation and its writers print English marks
  whatever the language: a publication in French, Spanish, Russian or Arabic is given
  guillemets instead (French with narrow no-break spaces inside).
- The space before ? ! : ; in French, a narrow no-break space, so that a line never starts
  with the mark ("Que doit garder l'examen ?" typed with a plain space).

Pandoc has curled the quotes and apostrophes and made the dashes, of the text and of the
metadata alike (typeset_titles takes the title fields from its parse), so that every
edition's title block says what the DOCX's, which pandoc writes itself, says.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from editions.adapters.pandoc_ast import Node, plain_text
from editions.model.metadata import Metadata
from editions.model.words import Words

# What pandoc's writers print: a language that writes these needs nothing done.
PANDOC_MARKS = ("“", "”", "‘", "’")
# The marks a French space before becomes narrow and unbreakable (and the one after «).
SPACED_BEFORE = "?!:;»"
SPACED_AFTER = "«"
# The metadata's fields a title block prints, by their keys in pandoc's metadata.
TITLE_FIELDS = {"title": "title", "subtitle": "subtitle", "short-title": "short_title"}


def localise_punctuation(value: Any, words: Words) -> None:
    """Write the quotations under value (blocks, or metadata) with the language's marks,
    and its spaces around punctuation as the language has them, in place."""
    marks = words.quotes
    space = words["punctuation-space"]

    def localise(inlines: list[Any]) -> None:
        if marks != PANDOC_MARKS:
            _unquote(inlines, marks)
        if space:
            _tighten(inlines, space)

    _each_inline_list(value, localise)


def typeset_titles(meta: dict[str, Any], metadata: Metadata) -> Metadata:
    """The metadata with its title fields as pandoc read them (a field pandoc read as
    blocks, not a line of text, stays as written), the language's punctuation given."""
    typeset = {}
    for key, attribute in TITLE_FIELDS.items():
        value = meta.get(key)
        if value is not None and value["t"] == "MetaInlines":
            localise_punctuation(value["c"], metadata.words)
            typeset[attribute] = plain_text(value["c"])
    return dataclasses.replace(metadata, **typeset)


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
