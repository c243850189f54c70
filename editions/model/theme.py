"""A publication's look: its theme.yaml (else source/theme.yaml), over the built-in theme.

The theme's facts are declared here once: what a theme file may hold, how each value is
checked, and the one mapping every edition reads them through (CSS custom properties for the
HTML, PDF and EPUB stylesheets; hex colours and family names for the DOCX styles).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from editions.adapters.fonts import Face, drawn_characters, find_face, subset_face
from editions.adapters.sourcefile import decode_text, read_source
from editions.adapters.yamlfile import Located, load_yaml
from editions.errors import CombinedError, EditionsError
from editions.model.folder import THEME
from editions.model.images import SVG_TYPE, CheckedImage, ImageError, check_image
from editions.model.limits import MAX_DATA_BYTES, MAX_IMAGE_BYTES
from editions.model.scripts import EAST_ASIAN, css_stack, faces_for, own_script, script_of
from editions.paths import TEMPLATES

BUILT_IN = TEMPLATES / "common" / THEME
# The pages text is read against: white paper, and the HTML's dark scheme.
PAGE = "#ffffff"
DARK_PAGE = "#16171b"
MIN_CONTRAST = 4.5
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# A family's name as it may stand in a CSS string and a Word style: no quotes, no markup.
FAMILY = re.compile(r"[\w][\w .+&-]*")
LOGO_TYPES = ("image/png", SVG_TYPE)
KEYS = (
    "accent",
    "accent-on-dark",
    "cover-colour",
    "text-colour",
    "text-face",
    "heading-face",
    "logo",
    "logo-alt",
    "contents",
)
COLOURS = {
    "accent": PAGE,
    "text-colour": PAGE,
    "accent-on-dark": DARK_PAGE,
    "cover-colour": PAGE,  # the EPUB cover's field, under white lettering
}
# Colours the built-in theme picks to suit its accent: a theme file that sets its own accent
# gets them derived from it instead.
DERIVED = ("accent-on-dark", "cover-colour")
FACES = {
    # The styles each face must have installed: those the editions set it in.
    "text-face": ("Regular", "Italic", "Bold"),
    "heading-face": ("Regular", "Italic", "Bold"),
}


@dataclass(frozen=True)
class Logo:
    image: CheckedImage
    alt: str


@dataclass(frozen=True)
class Theme:
    accent: str  # "#rrggbb", lower case
    accent_on_dark: str
    cover_colour: str
    text_colour: str
    text_face: str
    heading_face: str
    contents: bool
    logo: Logo | None = None
    path: Path | None = None  # the theme file read, if any
    # The publication's language: its script's faces lead the fallbacks (scripts.py).
    lang: str = "en"

    def css_properties(self) -> dict[str, str]:
        """The theme as the stylesheets read it: the one mapping to CSS. The faces are
        followed by those of the scripts they do not cover, the publication's own first."""
        return {
            "--theme-accent": self.accent,
            "--theme-accent-on-dark": self.accent_on_dark,
            "--theme-text": self.text_colour,
            "--theme-text-face": css_stack(self.text_face, self.lang, "text", "serif"),
            "--theme-heading-face": css_stack(
                self.heading_face, self.lang, "heading", "sans-serif"
            ),
        }

    def css_root(self) -> str:
        """A :root rule declaring the theme, to go before a stylesheet that uses it."""
        declarations = "".join(f"  {k}: {v};\n" for k, v in self.css_properties().items())
        return f"/* The theme (editions/model/theme.py). */\n:root {{\n{declarations}}}\n"

    def resolve_css(self, stylesheet: str) -> str:
        """stylesheet with every var(--theme-property) written out, for readers that know no
        custom properties (older EPUB reading systems)."""
        properties = self.css_properties()
        return re.sub(r"var\((--theme-[a-z-]+)\)", lambda m: properties[m[1]], stylesheet)

    def docx_values(self) -> tuple[tuple[str, str], ...]:
        """The theme as the DOCX style specification reads it: its colours 'accent' and
        'text' (six hex digits, as Word writes them) and its fonts 'body' and 'headings'."""
        return (
            ("colour:accent", self.accent.removeprefix("#").upper()),
            ("colour:text", self.text_colour.removeprefix("#").upper()),
            ("font:body", self.text_face),
            ("font:headings", self.heading_face),
        )

    def faces(self) -> tuple[Face, ...]:
        """Every installed face the editions set, for those that embed them."""
        weights = {"Regular": (400, False), "Italic": (400, True), "Bold": (700, False)}
        families = {"text-face": self.text_face, "heading-face": self.heading_face}
        faces: list[Face] = []
        for key, styles in FACES.items():
            for style in styles:
                face = Face(families[key], style, *weights[style])
                if face not in faces:
                    faces.append(face)
        return tuple(faces)

    def script_faces(self, characters: Iterable[str]) -> tuple[Face, ...]:
        """The faces of the scripts among characters that the theme's faces do not draw (their
        regular and bold; they have no italic), for the editions that embed their faces."""
        own = own_script(self.lang)
        used = {script_of(character) for character in characters} - {None}
        if own in EAST_ASIAN and used & set(EAST_ASIAN):
            # Han is the publication's region's: one face draws every East Asian character.
            used = (used - set(EAST_ASIAN)) | {own}
        faces: list[Face] = []
        for script in faces_for(self.lang):
            if script in used:
                for family in dict.fromkeys((script.text, script.heading)):
                    faces += [Face(family, "Regular", 400, False), Face(family, "Bold", 700, False)]
        return tuple(faces)

    def cut_faces(self, characters: set[str]) -> tuple[tuple[Face, bytes], ...]:
        """Every face an edition embeds, cut down to what it draws of characters: the theme's
        faces, then the script faces, to the characters the theme's do not draw (a CJK face
        has Latin letters too, which the theme's faces, first in every font stack, draw)."""
        cut = [(face, subset_face(face, characters)) for face in self.faces()]
        drawn = set().union(*(drawn_characters(data) for _, data in cut))
        rest = characters - drawn
        cut += [(face, subset_face(face, rest)) for face in self.script_faces(rest)]
        return tuple(cut)


def theme_file(folder: Path) -> Path | None:
    """The theme file that applies to the publication in folder: its own, else the source
    folder's; None for the built-in theme alone."""
    for candidate in (folder / THEME, folder.parent / THEME):
        if candidate.is_file() or candidate.is_symlink():
            return candidate
    return None


def load_theme(folder: Path) -> Theme:
    """The publication's theme: the keys of its theme file over the built-in theme's."""
    built_in = _read(BUILT_IN, BUILT_IN.parent)
    path = theme_file(folder)
    if path is None:
        return _theme(built_in, None)
    own = _read(path, path.parent)
    if "accent" in own:
        for key in DERIVED:  # the built-in ones suit the built-in accent only
            if key not in own:
                del built_in[key]
    return _theme({**built_in, **own}, path)


def contrast(colour: str, against: str) -> float:
    """The WCAG 2 contrast ratio of two "#rrggbb" colours."""
    lighter, darker = sorted((_luminance(colour), _luminance(against)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _lighten_for_dark(colour: str) -> str:
    """The colour mixed with white until it reads at 7:1 on the dark scheme's page."""
    return _mix_until(colour, "#ffffff", DARK_PAGE, 7)


def _darken(colour: str) -> str:
    """The colour mixed with black until white lettering on it reads at 12:1."""
    return _mix_until(colour, "#000000", PAGE, 12)


def _mix_until(colour: str, towards: str, against: str, ratio: float) -> str:
    """colour mixed towards another in twentieths, the first mix that reads at ratio against
    a third (towards itself, if none does)."""
    start = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    end = [int(towards[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(21):
        mixed = "#" + "".join(
            f"{round(a + (b - a) * step / 20):02x}" for a, b in zip(start, end, strict=True)
        )
        if contrast(mixed, against) >= ratio:
            return mixed
    return towards


def _read(path: Path, root: Path) -> dict[str, Any]:
    """The theme file's values, each with its line: {key: (value, line, path)}."""
    data = load_yaml(decode_text(read_source(path, root, MAX_DATA_BYTES), path), path)
    if data is None:
        return {}
    if not isinstance(data, Located):
        raise EditionsError("a theme is a list of 'key: value' lines", path, 1)
    return {str(key): (value, data.key_lines.get(str(key)), path) for key, value in data.items()}


def _theme(values: dict[str, Any], path: Path | None) -> Theme:
    """Check every value, collecting the errors, then stop with all of them."""
    errors: list[EditionsError] = []
    checked: dict[str, Any] = {}
    for key, (value, line, where) in values.items():
        try:
            checked[key] = _check(key, value, where, line)
        except EditionsError as error:
            errors.append(error)
    logo, alt = values.get("logo"), values.get("logo-alt")
    if logo and logo[0] and not (alt and str(alt[0] or "").strip()):
        errors.append(
            EditionsError(
                "a logo needs a 'logo-alt' line: the words a reader without sight is given "
                "(the organisation's name)",
                logo[2],
                logo[1],
            )
        )
    errors.sort(key=lambda e: (str(e.path), e.line or 0))
    if errors:
        raise CombinedError(errors) if len(errors) > 1 else errors[0]
    accent = checked["accent"]
    on_dark = checked.get("accent-on-dark") or _lighten_for_dark(accent)
    cover = checked.get("cover-colour") or _darken(accent)
    image = checked.get("logo")
    return Theme(
        accent=accent,
        accent_on_dark=on_dark,
        cover_colour=cover,
        text_colour=checked["text-colour"],
        text_face=checked["text-face"],
        heading_face=checked["heading-face"],
        contents=checked["contents"],
        logo=Logo(image, str(alt[0]).strip()) if image else None,
        path=path,
    )


def _check(key: str, value: Any, path: Path, line: int | None) -> Any:
    if key not in KEYS:
        raise EditionsError(f"unknown theme key '{key}'; known keys: {', '.join(KEYS)}", path, line)
    if key in COLOURS:
        return _colour(key, value, COLOURS[key], path, line)
    if key in FACES:
        return _face(key, value, path, line)
    if key == "contents":
        if not isinstance(value, bool):
            raise EditionsError("'contents' must be true or false", path, line)
        return value
    if key == "logo":
        return _logo(value, path, line) if value else None
    if value is not None and not isinstance(value, str):
        raise EditionsError(f"'{key}' must be text", path, line)
    return value


def _colour(key: str, value: Any, page: str, path: Path, line: int | None) -> str:
    if not isinstance(value, str) or not COLOUR.fullmatch(value):
        raise EditionsError(
            f"'{key}' must be a colour written \"#rrggbb\" (quoted: YAML reads # as a comment)",
            path,
            line,
        )
    ratio = contrast(value, page)
    if ratio < MIN_CONTRAST:
        what = "the dark scheme's page" if page == DARK_PAGE else "the white page"
        raise EditionsError(
            f"'{key}' {value} has a contrast of {ratio:.2f}:1 against {what} ({page}); "
            f"at least {MIN_CONTRAST}:1 is needed for text: choose a "
            f"{'lighter' if page == DARK_PAGE else 'darker'} colour",
            path,
            line,
        )
    return value.lower()


def _face(key: str, value: Any, path: Path, line: int | None) -> str:
    family = value.strip() if isinstance(value, str) else ""
    if not FAMILY.fullmatch(family):
        raise EditionsError(f"'{key}' must be the name of a font family", path, line)
    missing = []
    for style in FACES[key]:
        try:
            find_face(Face(family, style, 400, False))
        except EditionsError:
            missing.append(style)
    if missing:
        raise EditionsError(
            f"'{key}' {family} is not installed ({', '.join(missing)} missing); install an "
            "open-licence family with its italic and bold (fc-list lists what is installed), "
            "or fix the name",
            path,
            line,
        )
    return family


def _logo(value: Any, path: Path, line: int | None) -> CheckedImage:
    if not isinstance(value, str):
        raise EditionsError("'logo' must be a file name", path, line)
    name = PurePosixPath(value)
    if name.is_absolute() or ".." in name.parts or "://" in value or "\\" in value:
        raise EditionsError(
            f"the logo '{value}' is outside the folder of {path.name}; copy it into "
            f"{path.parent} and name it from there",
            path,
            line,
        )
    file = path.parent / name
    try:
        data = read_source(file, path.parent, MAX_IMAGE_BYTES)
    except EditionsError as error:
        raise EditionsError(f"the logo '{value}' {error.message}", path, line) from None
    try:
        image = check_image(data)
    except ImageError as error:
        raise EditionsError(f"the logo '{value}' {error}", path, line) from None
    if image.media_type not in LOGO_TYPES:
        raise EditionsError(f"the logo '{value}' must be an SVG or PNG image", path, line)
    return image
