"""A redline's changes as HTML: `<ins>` and `<del>`, which browsers and screen readers know.

Pandoc's HTML writer keeps the AST's `insertion` and `deletion` spans as plain spans; this
turns each into the element that says what it is. The PDF edition shares the markup."""

from __future__ import annotations

import html
from typing import Any

from editions.model.changes import DELETION, INSERTION

ELEMENTS = {INSERTION: "ins", DELETION: "del"}


def with_ins_del(document: dict[str, Any]) -> dict[str, Any]:
    """document (changed in place) with every change span an <ins> or <del>."""
    stack: list[Any] = [document["blocks"]]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            if any(_change(item) for item in value):
                value[:] = [part for item in value for part in _as_element(item)]
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
    return document


def _as_element(inline: Any) -> list[Any]:
    kind = _change(inline)
    if kind is None:
        return [inline]
    attributes = dict(inline["c"][0][2])
    stamp = f' datetime="{html.escape(attributes["date"])}"' if "date" in attributes else ""
    element = ELEMENTS[kind]
    return [
        {"t": "RawInline", "c": ["html", f"<{element}{stamp}>"]},
        *inline["c"][1],
        {"t": "RawInline", "c": ["html", f"</{element}>"]},
    ]


def _change(inline: Any) -> str | None:
    if not (isinstance(inline, dict) and inline.get("t") == "Span"):
        return None
    classes = inline["c"][0][1]
    return next((kind for kind in ELEMENTS if kind in classes), None)
