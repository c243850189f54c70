"""A redline's change bars: a mark before every changed word, which the print stylesheet
sets in the margin at the height of its line, so every line holding a change gets a bar
wherever the layout breaks it (templates/common/changes.css)."""

from __future__ import annotations

import re

import lxml.html

BAR_CLASS = "change-bar"
# A word: a run of spaced script, or one character of a script written without spaces.
UNSPACED = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
WORD = re.compile(f"[{UNSPACED}]|[^\\s{UNSPACED}]+")


def add_change_bars(document: lxml.html.HtmlElement) -> None:
    for change in document.xpath("//ins | //del"):
        _mark_words(change)


def _mark_words(element: lxml.html.HtmlElement) -> None:
    """A bar mark before each word of element's own text and of its children's."""
    children = list(element)
    element.text, marks = _marked(element.text)
    for index, mark in enumerate(marks):
        element.insert(index, mark)
    for child in children:
        if child.tag not in ("ins", "del"):
            _mark_words(child)
        child.tail, marks = _marked(child.tail)
        for mark in reversed(marks):
            child.addnext(mark)


def _marked(text: str | None) -> tuple[str | None, list[lxml.html.HtmlElement]]:
    """text split at its words: what stays before the first, and a mark for each word
    holding the word (and the spaces after it) as its tail."""
    if not text:
        return text, []
    starts = [match.start() for match in WORD.finditer(text)]
    if not starts:
        return text, []
    marks = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        mark = lxml.html.Element("span", {"class": BAR_CLASS, "aria-hidden": "true"})
        mark.tail = text[start:end]
        marks.append(mark)
    return text[: starts[0]], marks
