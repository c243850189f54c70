"""The editions' typefaces: found among the installed fonts, subset to the text they set."""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb

from editions.errors import EditionsError

NOTO_FOLDER = Path("/usr/share/fonts/truetype/noto")
# Fonts come from the system's font folders only, never from a user's or the publication's.
SYSTEM_FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
INSTALL_HINT = "install the Debian package fonts-noto-core (scripts/system-deps build does)"
CJK_INSTALL_HINT = "install the Debian package fonts-noto-cjk (scripts/system-deps build does)"


@dataclass(frozen=True)
class Face:
    """One style of a family, as CSS @font-face describes it."""

    family: str
    style: str  # fontconfig's name: Regular, Italic, Bold, Bold Italic
    weight: int
    italic: bool

    @property
    def file_name(self) -> str:
        return f"{self.file_stem}.ttf"

    @property
    def file_stem(self) -> str:
        return f"{self.family.replace(' ', '')}-{self.style.replace(' ', '')}"


# The built-in theme's families (the faces an edition embeds are the theme's, see
# editions/model/theme.py); the EPUB's cover is drawn in these.
SERIF = "Noto Serif"
SANS = "Noto Sans"


def font_face_rule(face: Face, source: str) -> str:
    """The @font-face rule that names face's file at source (a URL or a data: URI)."""
    kind = ""
    if source.startswith("data:font/ttf"):
        kind = ' format("truetype")'
    elif source.startswith("data:font/otf"):
        kind = ' format("opentype")'
    return (
        "@font-face {\n"
        f'  font-family: "{face.family}";\n'
        f"  font-style: {'italic' if face.italic else 'normal'};\n"
        f"  font-weight: {face.weight};\n"
        f'  src: url("{source}"){kind};\n'
        "}\n"
    )


def find_face(face: Face) -> Path:
    """The installed file of face: Debian's Noto folder, else what fontconfig knows."""
    return locate_face(face)[0]


@functools.cache
def locate_face(face: Face) -> tuple[Path, int]:
    """The installed file of face and the face's index in it (a collection, such as Noto Sans
    CJK's, holds several)."""
    known = NOTO_FOLDER / face.file_name
    if known.is_file():
        return known, 0
    found = _fontconfig_match(face)
    if found is None:
        hint = CJK_INSTALL_HINT if "CJK" in face.family else INSTALL_HINT
        raise EditionsError(f"the font '{face.family} {face.style}' is missing; {hint}")
    return found


def _fontconfig_match(face: Face) -> tuple[Path, int] | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    result = subprocess.run(
        [
            fc_match,
            "-f",
            "%{file}\n%{family}\n%{style}\n%{index}",
            f"{face.family}:style={face.style}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) < 4:
        return None
    path, families, styles = Path(lines[0]), lines[1].split(","), lines[2].split(",")
    # fc-match always answers, with a fallback family when the one asked for is missing.
    if face.family not in families or face.style not in styles:
        return None
    if path.suffix.lower() not in (".ttf", ".otf", ".ttc") or not any(
        path.resolve().is_relative_to(folder) for folder in SYSTEM_FONT_FOLDERS
    ):
        return None
    return path, int(lines[3] or 0)


def font_format(data: bytes) -> str:
    """'otf' for a font of PostScript outlines (CFF, as Noto Sans CJK's), else 'ttf'."""
    return "otf" if data[:4] == b"OTTO" else "ttf"


def drawn_characters(data: bytes) -> set[str]:
    """The characters a font (a file's bytes) has glyphs for."""
    return {chr(code) for code in hb.Face(data).unicodes}


def subset_face(face: Face, characters: Iterable[str]) -> bytes:
    """The installed face cut down to characters."""
    path, index = locate_face(face)
    return subset_font(path, characters, index)


def subset_font(path: Path, characters: Iterable[str], index: int = 0) -> bytes:
    """The font cut down to characters (and what its layout features need), unhinted.

    HarfBuzz's subsetter (milliseconds a face, where fontTools takes a tenth of a second). The
    name table is kept whole so that the copyright and licence travel with the font.
    """
    try:
        face = hb.Face(hb.Blob.from_file_path(str(path)), index)
    except Exception as error:  # a missing or unreadable file
        raise EditionsError(f"cannot read the font: {error}", path) from error
    if face.glyph_count == 0:  # HarfBuzz reads what is not a font as an empty face
        raise EditionsError("cannot read the font: it holds no glyphs", path)
    request = hb.SubsetInput()
    request.unicode_set.update(sorted({ord(character) for character in characters}))
    names = request.sets(hb.SubsetInputSets.NAME_ID)
    names.clear()
    names.invert()  # every name record, where HarfBuzz keeps only IDs 0 to 6 by default
    request.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    subset = hb.subset(face, request)
    if subset is None:
        raise EditionsError("cannot subset the font", path)
    return subset.blob.data
