"""The DOCX style specification (templates/docx/styles.yaml), read and checked into plain data."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editions.adapters.sourcefile import read_text
from editions.adapters.yamlfile import Located, load_yaml
from editions.errors import EditionsError
from editions.model.theme import Theme
from editions.paths import TEMPLATES

SPEC_PATH = TEMPLATES / "docx" / "styles.yaml"
SECTIONS = ("fonts", "colours", "page", "hyphenation", "roles", "styles")
# The roles only a redline has (editions/redline.py).
REDLINE_ROLES = ("changes-heading", "changes-summary")
ROLES = (
    "question-number",
    "no-answer",
    "provenance",
    "section-break",
    "lead-in",
    "consultation",
    *REDLINE_ROLES,
    "header",
    "footer",
    "strong",
    "contents-heading",
    "contents-entry",
    "logo",
    "question-text",
    "heading-address",
    "heading-link",
)
HYPHENATION = ("zone", "consecutive")
HEX = re.compile(r"[0-9A-Fa-f]{6}")

# Each style field and the kind of value it takes.
NUMBER, FLAG, TEXT = "a number", "true or false", "text"
STYLE_FIELDS = {
    "type": TEXT,
    "builtin": FLAG,
    "based_on": TEXT,
    "next": TEXT,
    "font": TEXT,
    "size": NUMBER,
    "bold": FLAG,
    "italic": FLAG,
    "colour": TEXT,
    "underline": FLAG,
    "letter_spacing": NUMBER,
    "before": NUMBER,
    "after": NUMBER,
    "line": NUMBER,
    "align": TEXT,
    "left": NUMBER,
    "right": NUMBER,
    "first_line": NUMBER,
    "hanging": NUMBER,
    "tab": NUMBER,
    "keep_next": FLAG,
    "keep_lines": FLAG,
    "page_break_before": FLAG,
    "hyphenate": FLAG,
    "outline_level": NUMBER,
}
ALIGNMENTS = ("left", "center", "right", "both")


@dataclass(frozen=True)
class StyleLook:
    """One style: only the properties the specification sets (None: inherited)."""

    name: str
    type: str = "paragraph"
    builtin: bool = False
    based_on: str | None = None
    next: str | None = None
    font: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    colour: str | None = None
    underline: bool | None = None
    letter_spacing: float | None = None
    before: float | None = None
    after: float | None = None
    line: float | None = None
    align: str | None = None
    left: float | None = None
    right: float | None = None
    first_line: float | None = None
    hanging: float | None = None
    tab: float | None = None
    keep_next: bool | None = None
    keep_lines: bool | None = None
    page_break_before: bool | None = None
    hyphenate: bool | None = None
    outline_level: int | None = None


@dataclass(frozen=True)
class FontSubstitute:
    family: str  # the font table's generic family: roman (serif), swiss (sans) ...
    alternative: str  # the face Word uses where this one is missing


@dataclass(frozen=True)
class PageLayout:
    sizes: dict[str, tuple[float, float]]  # paper name -> (width, height) in cm
    margins: dict[str, float]  # top, bottom, left, right in cm
    header: float
    footer: float


@dataclass(frozen=True)
class StyleSpec:
    body_font: str
    heading_font: str
    substitutes: dict[str, FontSubstitute]
    page: PageLayout
    hyphenation_zone: float
    consecutive_hyphens: int
    roles: dict[str, str]
    styles: tuple[StyleLook, ...]
    digest: str = field(default="")

    def style(self, name: str) -> StyleLook | None:
        return next((look for look in self.styles if look.name == name), None)

    def without_roles(self, roles: tuple[str, ...]) -> StyleSpec:
        """The spec without the styles of roles: a document that has none of them does not
        list their styles in Word's Styles pane."""
        dropped = {self.roles[role] for role in roles}
        return dataclasses.replace(
            self,
            styles=tuple(look for look in self.styles if look.name not in dropped),
            # The reference document is cached by digest (reference.py): this is another one.
            digest=f"{self.digest}-without-{'-'.join(sorted(roles))}",
        )


def load_style_spec(path: Path = SPEC_PATH, theme: Theme | None = None) -> StyleSpec:
    """The specification, with the theme's colours and fonts (Theme.docx_values) in place of
    its own 'accent', 'text', 'body' and 'headings'."""
    return parse_style_spec(read_text(path), path, theme.docx_values() if theme else ())


@functools.cache
def parse_style_spec(
    text: str, path: Path = SPEC_PATH, themed: tuple[tuple[str, str], ...] = ()
) -> StyleSpec:
    data = load_yaml(text, path)
    checker = _Checker(path)
    checker.mapping(data, "the style specification", SECTIONS, required=SECTIONS)
    fonts = checker.mapping(
        data["fonts"], "fonts", ("body", "headings", "substitutes"), required=("body", "headings")
    )
    hyphenation = checker.mapping(
        data["hyphenation"], "hyphenation", HYPHENATION, required=HYPHENATION
    )
    colours = checker.mapping(data["colours"], "colours", None)
    for key, value in themed:
        kind, _, name = key.partition(":")
        (colours if kind == "colour" else fonts)[name] = value
    for name, value in colours.items():
        checker.colour(value, colours, f"colour '{name}'", colours.key_lines.get(name))
    families = {"body": fonts["body"], "headings": fonts["headings"]}
    return StyleSpec(
        body_font=str(fonts["body"]),
        heading_font=str(fonts["headings"]),
        substitutes=_substitutes(checker, fonts.get("substitutes") or Located()),
        page=_page(checker, data["page"]),
        hyphenation_zone=checker.number(hyphenation, "zone", "hyphenation"),
        consecutive_hyphens=int(checker.number(hyphenation, "consecutive", "hyphenation")),
        roles=_roles(checker, data["roles"]),
        styles=tuple(
            _style(checker, name, look, families, colours)
            for name, look in checker.mapping(data["styles"], "styles", None).items()
        ),
        digest=hashlib.sha256((text + repr(themed)).encode("utf-8")).hexdigest(),
    )


def _substitutes(checker: _Checker, data: Any) -> dict[str, FontSubstitute]:
    result = {}
    for font, entry in checker.mapping(data, "substitutes", None).items():
        entry = checker.mapping(entry, f"substitute for {font}", ("family", "alternative"))
        result[str(font)] = FontSubstitute(str(entry["family"]), str(entry["alternative"]))
    return result


def _page(checker: _Checker, data: Any) -> PageLayout:
    keys = ("sizes", "margins", "header", "footer")
    page = checker.mapping(data, "page", keys, required=keys)
    sizes = {}
    for paper, size in checker.mapping(page["sizes"], "page sizes", None).items():
        size = checker.mapping(size, f"page size {paper}", ("width", "height"))
        where = f"page size {paper}"
        sizes[str(paper).lower()] = (
            checker.number(size, "width", where),
            checker.number(size, "height", where),
        )
    sides = ("top", "bottom", "left", "right")
    margins = checker.mapping(page["margins"], "margins", sides, required=sides)
    return PageLayout(
        sizes=sizes,
        margins={side: checker.number(margins, side, "margins") for side in sides},
        header=checker.number(page, "header", "page"),
        footer=checker.number(page, "footer", "page"),
    )


def _roles(checker: _Checker, data: Any) -> dict[str, str]:
    roles = checker.mapping(data, "roles", ROLES, required=ROLES)
    return {role: str(roles[role]) for role in ROLES}


def _style(
    checker: _Checker, name: str, data: Any, families: dict[str, str], colours: Located
) -> StyleLook:
    look = checker.mapping(data or Located(), f"style '{name}'", tuple(STYLE_FIELDS))
    values: dict[str, Any] = {}
    for key, value in look.items():
        line = look.key_lines.get(key)
        what = f"'{key}' of style '{name}'"
        kind = STYLE_FIELDS[key]
        if kind == NUMBER and (isinstance(value, bool) or not isinstance(value, (int, float))):
            checker.fail(f"{what} must be {NUMBER}", line)
        if kind == FLAG and not isinstance(value, bool):
            checker.fail(f"{what} must be {FLAG}", line)
        if kind == TEXT and not isinstance(value, str):
            checker.fail(f"{what} must be {TEXT}", line)
        if key == "font":
            value = families.get(value, value)
        elif key == "colour":
            value = checker.colour(value, colours, what, line)
        elif key == "type" and value not in ("paragraph", "character"):
            checker.fail(f"{what} must be paragraph or character", line)
        elif key == "align" and value not in ALIGNMENTS:
            checker.fail(f"{what} must be one of {', '.join(ALIGNMENTS)}", line)
        elif key == "outline_level":
            value = int(value)
        values[key] = value
    return StyleLook(name=str(name), **values)


class _Checker:
    """Checks shapes and values, failing with the line in the specification."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, message: str, line: int | None) -> None:
        raise EditionsError(message, self.path, line)

    def mapping(
        self,
        value: Any,
        what: str,
        known: tuple[str, ...] | None,
        required: tuple[str, ...] = (),
    ) -> Located:
        if not isinstance(value, Located):
            self.fail(f"{what} must be a list of 'name: value' lines", getattr(value, "line", None))
        for key in value:
            if known is not None and key not in known:
                self.fail(
                    f"unknown field '{key}' in {what}; known fields: {', '.join(known)}",
                    value.key_lines.get(str(key)),
                )
        for key in required:
            if key not in value:
                self.fail(f"{what} needs a '{key}' field", value.line)
        return value

    def number(self, mapping: Located, key: str, what: str) -> float:
        value = mapping.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(
                f"'{key}' of {what} must be a number", mapping.key_lines.get(key, mapping.line)
            )
        return float(value)

    def colour(self, value: Any, colours: Located, what: str, line: int | None) -> str:
        value = colours.get(value, value)
        if not isinstance(value, str) or not HEX.fullmatch(value):
            self.fail(f"{what} must be six hex digits or a colour name", line)
        return value.upper()
