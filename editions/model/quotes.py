"""Quotation marks the language's way. Pandoc reads "..." as a quotation and its writers
print English marks whatever the language: a publication in French, Spanish, Russian or
Arabic is given guillemets instead (French with narrow no-break spaces inside), from the
language's table in templates/common/words.yaml, once for every edition."""

from __future__ import annotations

from typing import Any

from editions.adapters.pandoc_ast import Node
from editions.model.words import Words

# What pandoc's writers print: a language that writes these needs nothing done.
PANDOC_MARKS = ("“", "”", "‘", "’")


def localise_quotes(blocks: list[Node], words: Words) -> None:
    """Write each quotation of blocks with the language's marks, as text."""
    marks = words.quotes
    if marks != PANDOC_MARKS:
        _unquote(blocks, marks)


def _unquote(value: Any, marks: tuple[str, ...]) -> None:
    """Replace every Quoted node under value, in place, by its marks and its inlines."""
    if isinstance(value, dict):
        for child in value.values():
            _unquote(child, marks)
        return
    if not isinstance(value, list):
        return
    index = 0
    while index < len(value):
        item = value[index]
        if isinstance(item, dict) and item.get("t") == "Quoted":
            kind, inlines = item["c"]
            _unquote(inlines, marks)
            opening, closing = marks[:2] if kind["t"] == "DoubleQuote" else marks[2:]
            value[index : index + 1] = [_text(opening), *inlines, _text(closing)]
            index += len(inlines) + 2
        else:
            _unquote(item, marks)
            index += 1


def _text(text: str) -> Node:
    return {"t": "Str", "c": text}
