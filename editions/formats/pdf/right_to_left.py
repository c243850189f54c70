"""Right-to-left text that copies out of the PDF in reading order.

WeasyPrint writes a right-to-left line as it is seen, glyph by glyph from the left. Readers
(pdftotext, pdfium, and the tools built on them) turn it back into reading order themselves:
they take each glyph's characters from the font's ToUnicode map, then reverse the
right-to-left runs character by character. Three things in WeasyPrint's output defeat that
reversal, and this module puts them right once WeasyPrint has written the file:

- A ligature (lam-alef, lam-yeh) maps one glyph to its characters in reading order, and the
  reversal turns them round ("خالل" for "خلال"). The map is written reversed, so that the
  reversal puts it back.
- A mirrored glyph (the parenthesis that closes an aside in Arabic) is mapped to the
  character it stands for, and pdfium mirrors it once more. A glyph that the font's cmap gives
  for a character is mapped back to that character.
- A mark (shadda, tanween) is drawn as a glyph of its own, raised or moved over its letter.
  The readers then take it for a word of its own, elsewhere in the line. Each mark is drawn as
  a path in the same place instead, and its letter's glyph is given a code of its own, mapped
  to the letter and its marks together, as a ligature is.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import pikepdf
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

# The strong right-to-left classes of the bidi algorithm: the characters readers reverse.
RIGHT_TO_LEFT = {"R", "AL"}
MARKS = {"Mn", "Me"}
MIRRORED = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))
# The text state WeasyPrint leaves as it is: text scaled, spaced or not simply filled is not
# mended, nor the rest of a text object after a positioning operator not followed here.
DEFAULTS = {"Tz": 100, "Tc": 0, "Tr": 0}
UNFOLLOWED = {"T*", "TD", "'", '"', "Tj"}
GRAPHICS_STATE = {"rg", "g", "k", "cs", "sc", "scn", "gs"}
Matrix = tuple[float, float, float, float, float, float]


def mend_right_to_left_text(pdf: pikepdf.Pdf) -> bool:
    """Put the right-to-left text of a PDF WeasyPrint wrote in order for readers, in place
    (once: the ligatures' maps are reversed); whether it had any to mend."""
    fonts: dict[tuple[int, int], _Font] = {}
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            if font.objgen not in fonts and _is_composite(font):
                fonts[font.objgen] = _Font(font)
    # Every font's widths place the pen along a line, and any font may hold the brackets of
    # right-to-left text: in a file with none, nothing is read further.
    if not any(font.right_to_left for font in fonts.values()):
        return False
    changed = False
    for font in fonts.values():
        changed |= font.mend_map()
    for page in pdf.pages:
        content = _Content(page, fonts).mended()
        if content is not None:
            page.Contents = pdf.make_stream(content)
            changed = True
    for font in fonts.values():
        font.write(pdf)
    return changed


# --- Fonts ---------------------------------------------------------------------------------


@dataclass
class _Font:
    """A composite font of the PDF: its glyphs' characters and widths, and the codes added
    for letters that carry marks."""

    font: pikepdf.Dictionary
    characters: dict[int, str] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    default_width: float = 1000
    added: dict[tuple[int, str], int] = field(default_factory=dict)
    changed: bool = False

    def __post_init__(self) -> None:
        self.characters = _read_to_unicode(self.font.ToUnicode.read_bytes())
        descendant = self.font.DescendantFonts[0]
        self.default_width = float(descendant.get("/DW", 1000))
        self.widths = dict(_read_widths(descendant.get("/W", pikepdf.Array())))

    @cached_property
    def face(self) -> TTFont | None:
        """The embedded font program, read only in a file with right-to-left text."""
        descriptor = self.font.DescendantFonts[0].FontDescriptor
        program = descriptor.get("/FontFile2")
        return TTFont(io.BytesIO(program.read_bytes())) if program is not None else None

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default_width)

    def text(self, code: int) -> str:
        return self.characters.get(code, "")

    def is_mark(self, code: int) -> bool:
        text = self.text(code)
        return bool(text) and all(unicodedata.category(c) in MARKS for c in text)

    @cached_property
    def right_to_left(self) -> bool:
        """Whether any of the font's glyphs stands for right-to-left text."""
        return any(self.is_right_to_left(code) for code in self.characters)

    def is_right_to_left(self, code: int) -> bool:
        return any(_is_right_to_left(c) for c in self.text(code))

    def mend_map(self) -> bool:
        """Reverse the right-to-left ligatures' characters and unmirror the mirrored glyphs."""
        mirrored = any(text in MIRRORED for text in self.characters.values())
        nominal = self._nominal_characters() if mirrored else {}
        for code, text in self.characters.items():
            if len(text) > 1 and any(_is_right_to_left(c) for c in text):
                self.characters[code] = text[::-1]
                self.changed = True
            elif MIRRORED.get(text) is not None and nominal.get(code) == MIRRORED[text]:
                self.characters[code] = nominal[code]
                self.changed = True
        return self.changed

    def with_marks(self, letter: int, marks: list[int]) -> int:
        """The code for letter's glyph carrying marks: its characters and the marks' in the
        order drawn, which the readers' reversal turns into reading order. (A glyph of two
        marks keeps its own order: readers differ on it, and either order of a shadda and a
        kasra is canonically the same text.)"""
        text = "".join(self.text(code) for code in [*marks, letter])
        key = (letter, text)
        if key not in self.added:
            used = max([*self.characters, *self.widths, *self.added.values(), self._glyphs() - 1])
            code = used + 1
            if code > 0xFFFF:
                return letter  # no code left: the letter keeps its own, the marks their place
            self.added[key] = code
            self.characters[code] = text
            self.widths[code] = self.width(letter)
            self.changed = True
        return self.added[key]

    def outline(self, code: int) -> list[pikepdf.ContentStreamInstruction]:
        """The glyph's outline as path instructions, in font units."""
        if self.face is None or code >= self._glyphs():
            return []
        glyphs = self.face.getGlyphSet()
        pen = _PathPen(glyphs)
        glyphs[self.face.getGlyphOrder()[code]].draw(pen)
        return pen.instructions

    @property
    def units_per_em(self) -> int:
        return self.face["head"].unitsPerEm if self.face is not None else 1000

    def write(self, pdf: pikepdf.Pdf) -> None:
        """Write the mended map, and the added codes' glyphs and widths, into the font."""
        if not self.changed:
            return
        self.font.ToUnicode.write(_write_to_unicode(self.characters))
        if not self.added:
            return
        descendant = self.font.DescendantFonts[0]
        glyphs = {code: code for code in range(self._glyphs())}
        glyphs.update({code: letter for (letter, _), code in self.added.items()})
        table = bytearray(2 * (max(glyphs) + 1))
        for code, glyph in glyphs.items():
            table[2 * code : 2 * code + 2] = glyph.to_bytes(2, "big")
        descendant.CIDToGIDMap = pdf.make_stream(bytes(table))
        widths = pikepdf.Array(descendant.get("/W", pikepdf.Array()))
        for code in sorted(self.added.values()):
            widths.extend([code, pikepdf.Array([self.widths[code]])])
        descendant.W = widths

    def _glyphs(self) -> int:
        return self.face["maxp"].numGlyphs if self.face is not None else 0

    def _nominal_characters(self) -> dict[int, str]:
        """The character each glyph of the font's cmap stands for (the lowest, if several)."""
        if self.face is None:
            return {}
        nominal: dict[int, str] = {}
        for code, name in sorted((self.face.getBestCmap() or {}).items(), reverse=True):
            nominal[self.face.getGlyphID(name)] = chr(code)
        return nominal


class _PathPen(BasePen):
    """Collects a glyph's outline as PDF path instructions (quadratic curves made cubic)."""

    def __init__(self, glyph_set: object) -> None:
        super().__init__(glyph_set)
        self.instructions: list[pikepdf.ContentStreamInstruction] = []

    # The pen's method names are fontTools'.
    def _moveTo(self, point: tuple[float, float]) -> None:  # noqa: N802
        self.instructions.append(_instruction("m", *point))

    def _lineTo(self, point: tuple[float, float]) -> None:  # noqa: N802
        self.instructions.append(_instruction("l", *point))

    def _curveToOne(self, *points: tuple[float, float]) -> None:  # noqa: N802
        self.instructions.append(_instruction("c", *(v for point in points for v in point)))

    def _closePath(self) -> None:  # noqa: N802
        self.instructions.append(_instruction("h"))


def _is_composite(font: pikepdf.Object) -> bool:
    return "/ToUnicode" in font and "/DescendantFonts" in font


def _is_right_to_left(character: str) -> bool:
    return unicodedata.bidirectional(character) in RIGHT_TO_LEFT


def _read_to_unicode(cmap: bytes) -> dict[int, str]:
    """The bfchar entries of a ToUnicode CMap as WeasyPrint writes it (one per glyph)."""
    characters = {}
    in_chars = False
    for line in cmap.decode("latin-1").splitlines():
        line = line.strip()
        if line.endswith("beginbfchar"):
            in_chars = True
        elif line == "endbfchar":
            in_chars = False
        elif in_chars and line.startswith("<"):
            source, _, target = line.partition(" ")
            code = int(source.strip("<>"), 16)
            characters[code] = bytes.fromhex(target.strip().strip("<>")).decode("utf-16-be")
    return characters


def _write_to_unicode(characters: dict[int, str]) -> bytes:
    entries = sorted(characters.items())
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <ffff>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):  # a bfchar block holds at most 100 entries
        chunk = entries[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{code:04x}> <{text.encode('utf-16-be').hex()}>" for code, text in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _read_widths(array: pikepdf.Array) -> Iterator[tuple[int, float]]:
    """The glyph widths of a CIDFont's W array, in both of its forms."""
    items = list(array)
    index = 0
    while index < len(items):
        first, following = int(items[index]), items[index + 1]
        if isinstance(following, pikepdf.Array):
            for offset, width in enumerate(following):
                yield first + offset, float(width)
            index += 2
        else:
            for code in range(first, int(following) + 1):
                yield code, float(items[index + 2])
            index += 3


# --- Content -------------------------------------------------------------------------------


@dataclass
class _Glyph:
    code: int
    x: float  # where it is drawn from the run's start, in thousandths of the font size
    rise: float


@dataclass
class _Mark:
    """A mark to draw as a path once its text object ends."""

    font: _Font
    code: int
    matrix: Matrix
    state: list[pikepdf.ContentStreamInstruction]


class _Content:
    """A page's content, walked once, with the text objects' marks taken out as paths."""

    def __init__(self, page: pikepdf.Page, fonts: dict[tuple[int, int], _Font]) -> None:
        self.page = page
        self.resources = page.Resources.get("/Font", {})
        self.fonts = fonts
        self.out: list[pikepdf.ContentStreamInstruction] = []
        self.run: list[pikepdf.ContentStreamInstruction] = []
        self.marks: list[_Mark] = []
        self.state: list[pikepdf.ContentStreamInstruction] = []  # colours set in the object
        self.font: _Font | None = None
        self.size = 0.0
        self.rise = 0.0
        self.line: Matrix = (1, 0, 0, 1, 0, 0)
        self.pen = 0.0  # from the line's start, in text space units
        self.followed = True  # the pen's place is known
        self.unusual: set[str] = set()  # text state operators set away from their defaults
        self.changed = False

    def mended(self) -> bytes | None:
        for instruction in pikepdf.parse_content_stream(self.page):
            operator = str(instruction.operator)
            if operator in ("TJ", "Ts"):
                self.run.append(instruction)
                continue
            self._end_run()
            self.out.append(instruction)
            self._follow(operator, instruction.operands)
        self._end_run()
        return pikepdf.unparse_content_stream(self.out) if self.changed else None

    def _follow(self, operator: str, operands: list[object]) -> None:
        if operator == "BT":
            self.line, self.pen, self.followed, self.state = (1, 0, 0, 1, 0, 0), 0.0, True, []
        elif operator == "ET":
            self._draw_marks()
        elif operator == "Tm":
            self.line, self.pen = tuple(float(o) for o in operands), 0.0  # type: ignore[assignment]
        elif operator == "Td":
            tx, ty = float(operands[0]), float(operands[1])
            self.line, self.pen = _multiply((1, 0, 0, 1, tx, ty), self.line), 0.0
        elif operator == "Tf":
            found = self.resources.get(str(operands[0]))
            self.font = self.fonts.get(found.objgen) if found is not None else None
            self.size = float(operands[1])
        elif operator in DEFAULTS:
            if float(operands[0]) == DEFAULTS[operator]:
                self.unusual.discard(operator)
            else:
                self.unusual.add(operator)
        elif operator in UNFOLLOWED:
            self.followed = False
        elif operator in GRAPHICS_STATE:
            self.state.append(_instruction(operator, *operands))

    def _end_run(self) -> None:
        """Write the run of TJ and Ts instructions gathered, mended if it has marks."""
        run, self.run, font = self.run, [], self.font
        if not run:
            return
        if font is None:  # a font not read here (a simple one): the pen is lost
            self.out.extend(run)
            self.followed = False
            return
        glyphs, end, rise_after = _glyphs_of(run, font, self.rise)
        mended = None
        if font.right_to_left and self.followed and not self.unusual:
            mended = self._mend_run(font, glyphs, end, rise_after)
        self.out.extend(mended or run)
        self.pen += end / 1000 * self.size
        self.rise = rise_after

    def _mend_run(
        self, font: _Font, glyphs: list[_Glyph], end: float, rise_after: float
    ) -> list[pikepdf.ContentStreamInstruction] | None:
        """The run written again with each marked letter's code, its marks kept for paths;
        None if it has no marked letter."""
        clusters = list(_clusters(glyphs, font))
        if all(len(cluster) == 1 for cluster in clusters):
            return None
        writer = _RunWriter(font, self.rise)
        for cluster in clusters:
            *marks, letter = cluster
            if marks:
                code = font.with_marks(letter.code, [mark.code for mark in marks])
                if code != letter.code:
                    for mark in marks:
                        self.marks.append(self._mark(font, mark))
                    letter = _Glyph(code, letter.x, letter.rise)
                    marks = []
            for glyph in [*marks, letter]:
                writer.draw(glyph)
        writer.move_to(end)
        writer.set_rise(rise_after)
        self.changed = True
        return writer.instructions

    def _mark(self, font: _Font, glyph: _Glyph) -> _Mark:
        """Where the mark's outline goes: glyph space to the text space of the line."""
        scale = self.size / font.units_per_em
        place = (scale, 0, 0, scale, self.pen + glyph.x / 1000 * self.size, glyph.rise)
        return _Mark(font, glyph.code, _multiply(place, self.line), list(self.state))

    def _draw_marks(self) -> None:
        """After the text object: each mark taken out of it, as a filled path."""
        for mark in self.marks:
            self.out += [
                _instruction("q"),
                *mark.state,
                _instruction("cm", *mark.matrix),
                *mark.font.outline(mark.code),
                _instruction("f"),
                _instruction("Q"),
            ]
        self.marks = []


def _glyphs_of(
    run: list[pikepdf.ContentStreamInstruction], font: _Font, rise: float
) -> tuple[list[_Glyph], float, float]:
    """The run's glyphs with their places, where it leaves the pen, and its last rise."""
    glyphs = []
    pen = 0.0
    for instruction in run:
        if str(instruction.operator) == "Ts":
            rise = float(instruction.operands[0])
            continue
        for item in instruction.operands[0]:
            if isinstance(item, pikepdf.String):
                data = bytes(item)
                for index in range(0, len(data) - 1, 2):
                    code = int.from_bytes(data[index : index + 2], "big")
                    glyphs.append(_Glyph(code, pen, rise))
                    pen += font.width(code)
            else:
                pen -= float(item)
    return glyphs, pen, rise


def _clusters(glyphs: list[_Glyph], font: _Font) -> Iterator[list[_Glyph]]:
    """The glyphs in groups: a right-to-left letter with the marks drawn just before it (a
    line drawn from the left meets a letter's marks first), every other glyph alone."""
    marks: list[_Glyph] = []
    for glyph in glyphs:
        if font.is_mark(glyph.code):
            marks.append(glyph)
            continue
        if marks and font.is_right_to_left(glyph.code):
            yield [*marks, glyph]
        else:
            yield from ([mark] for mark in marks)
            yield [glyph]
        marks = []
    yield from ([mark] for mark in marks)


class _RunWriter:
    """Writes glyphs at given places as TJ instructions, with the rises between them."""

    def __init__(self, font: _Font, rise: float) -> None:
        self.font = font
        self.rise = rise
        self.pen = 0.0
        self.pending: list[object] = []
        self.instructions: list[pikepdf.ContentStreamInstruction] = []

    def draw(self, glyph: _Glyph) -> None:
        self.set_rise(glyph.rise)
        if abs(glyph.x - self.pen) > 1e-6:
            self.pending.append(round(self.pen - glyph.x, 4))
        self.pending.append(pikepdf.String(glyph.code.to_bytes(2, "big")))
        self.pen = glyph.x + self.font.width(glyph.code)

    def move_to(self, x: float) -> None:
        if abs(x - self.pen) > 1e-6:
            self.pending.append(round(self.pen - x, 4))
            self.pen = x
        self._flush()

    def set_rise(self, rise: float) -> None:
        if rise != self.rise:
            self._flush()
            self.instructions.append(_instruction("Ts", rise))
            self.rise = rise

    def _flush(self) -> None:
        if self.pending:
            self.instructions.append(_instruction("TJ", pikepdf.Array(self.pending)))
            self.pending = []


def _multiply(first: Matrix, second: Matrix) -> Matrix:
    """The matrix that applies first, then second (PDF's row-vector order)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = second
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _instruction(operator: str, *operands: object) -> pikepdf.ContentStreamInstruction:
    numbers = [round(o, 4) if isinstance(o, float) else o for o in operands]
    return pikepdf.ContentStreamInstruction(numbers, pikepdf.Operator(operator))
