"""Writing systems: which faces set a script the theme's faces do not cover, and which way a
language runs. Declared once for every edition: the stylesheets' font stacks, the faces the
HTML and EPUB embed, the DOCX's complex-script and East Asian fonts.

The theme's faces (Noto Serif and Noto Sans by default) cover Latin, Greek and Cyrillic. Arabic
is set in Noto Naskh Arabic (text) and Noto Sans Arabic (headings), from Debian's
fonts-noto-core; Chinese, Japanese and Korean in Noto Serif CJK (text) and Noto Sans CJK
(headings), from fonts-noto-cjk, whose one face per region draws the region's forms of the
same characters, so the publication's own region comes first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

RIGHT_TO_LEFT = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"}
)


@dataclass(frozen=True)
class ScriptFaces:
    script: str  # ISO 15924
    text: str  # the family that sets running text in it
    heading: str  # and headings


ARABIC = ScriptFaces("Arab", "Noto Naskh Arabic", "Noto Sans Arabic")
HEBREW = ScriptFaces("Hebr", "Noto Sans Hebrew", "Noto Sans Hebrew")
# Han in a serif (Song, Mincho) for running text and a sans (Hei, Gothic) for headings, as
# the UN's Chinese documents set them, beside the theme's serif text and sans headings.
SIMPLIFIED = ScriptFaces("Hans", "Noto Serif CJK SC", "Noto Sans CJK SC")
TRADITIONAL = ScriptFaces("Hant", "Noto Serif CJK TC", "Noto Sans CJK TC")
HONG_KONG = ScriptFaces("Hant-HK", "Noto Serif CJK HK", "Noto Sans CJK HK")
JAPANESE = ScriptFaces("Jpan", "Noto Serif CJK JP", "Noto Sans CJK JP")
KOREAN = ScriptFaces("Kore", "Noto Serif CJK KR", "Noto Sans CJK KR")
# After the publication's own, in this order: a Chinese sentence in an English statement is
# set in the simplified forms the UN uses.
FALLBACKS = (ARABIC, SIMPLIFIED, TRADITIONAL, JAPANESE, KOREAN, HEBREW)
EAST_ASIAN = (SIMPLIFIED, TRADITIONAL, HONG_KONG, JAPANESE, KOREAN)


def primary(lang: str) -> str:
    return lang.split("-")[0].lower()


def direction(lang: str) -> str:
    """'rtl' for a language written right to left, else 'ltr'."""
    return "rtl" if primary(lang) in RIGHT_TO_LEFT else "ltr"


def faces_for(lang: str) -> tuple[ScriptFaces, ...]:
    """The script faces in the order a font stack lists them for a publication in lang:
    its own script's first."""
    own = own_script(lang)
    return ((own,) if own else ()) + tuple(f for f in FALLBACKS if f != own)


def own_script(lang: str) -> ScriptFaces | None:
    """The faces of lang's script, if the theme's faces do not cover it."""
    subtags = [part.lower() for part in lang.split("-")]
    language = subtags[0]
    if language in ("ar", "fa", "ur", "ps", "sd", "ug"):
        return ARABIC
    if language in ("he", "yi"):
        return HEBREW
    if language == "ja":
        return JAPANESE
    if language == "ko":
        return KOREAN
    if language == "zh":
        if "hk" in subtags or "mo" in subtags:
            return HONG_KONG
        if "hant" in subtags or "tw" in subtags:
            return TRADITIONAL
        return SIMPLIFIED
    return None


def is_east_asian(lang: str) -> bool:
    return own_script(lang) in EAST_ASIAN


def css_stack(first: str, lang: str, role: str, generic: str) -> str:
    """A CSS font-family list: the theme's face, the script faces, the generic family."""
    families = [first, *(getattr(faces, role) for faces in faces_for(lang))]
    unique = list(dict.fromkeys(families))
    return ", ".join(f'"{family}"' for family in unique) + f", {generic}"


def script_of(character: str) -> ScriptFaces | None:
    """The script faces that draw character, when the theme's faces do not."""
    name = unicodedata.name(character, "")
    if name.startswith("ARABIC"):
        return ARABIC
    if name.startswith("HEBREW"):
        return HEBREW
    if name.startswith(
        ("CJK", "IDEOGRAPHIC", "FULLWIDTH", "HALFWIDTH", "HIRAGANA", "KATAKANA", "BOPOMOFO")
    ):
        return SIMPLIFIED
    if name.startswith("HANGUL"):
        return KOREAN
    return None
