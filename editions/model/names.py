"""Names as people type them into forms: cleaned for printing, and keyed for comparison.

clean() makes a name fit to print (NFC, single spaces, no invisible direction or zero-width
characters) and says what it removed; key() is what two names share when they are the same
name typed differently ("DENIC eG", "Denic EG", "DENIC  eG", "Dénic e.G.").
"""

from __future__ import annotations

import unicodedata

# Direction controls (embeddings, overrides, isolates, marks) can make a name print in an
# order other than the one it was typed in; zero-width characters hide inside a name.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
WHITESPACE_CONTROLS = frozenset("\t\n\r\v\f")


class UnprintableNameError(ValueError):
    """A control character that no name may hold (an export gone wrong, or a trick)."""


def clean(name: str) -> tuple[str, list[str]]:
    """The name fit to print, and a note for each kind of character removed from it.

    Raises UnprintableNameError for a control character other than whitespace."""
    notes: list[str] = []
    for label, removed in (
        ("direction control", BIDI_CONTROLS),
        ("zero-width character", ZERO_WIDTH),
    ):
        found = sorted({c for c in name if c in removed})
        if found:
            codes = ", ".join(f"U+{ord(c):04X}" for c in found)
            notes.append(f"removed {label}{'s' if len(found) > 1 else ''} {codes}")
            name = "".join(c for c in name if c not in removed)
    for character in name:
        if unicodedata.category(character) == "Cc" and character not in WHITESPACE_CONTROLS:
            raise UnprintableNameError(f"holds the control character U+{ord(character):04X}")
    return " ".join(unicodedata.normalize("NFC", name).split()), notes


def key(name: str) -> str:
    """What the same name shares however it was typed: its letters and digits, without case,
    accents, spaces or punctuation. Empty for a name with no letter or digit."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum())
