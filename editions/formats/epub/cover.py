"""A cover image drawn from the publication's metadata: the same bytes on every build."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from editions.adapters.fonts import SANS, SERIF, Face, find_face
from editions.model.metadata import Metadata

# 1:1.6, the proportion most e-reader shops ask for, large enough for a retina thumbnail.
WIDTH, HEIGHT = 1600, 2560
MARGIN = 136
PANEL_TOP = 1830  # where the light panel with the author and date starts
NAVY = (13, 43, 82)
PALE_BLUE = (168, 200, 236)
MIST = (222, 232, 245)
PAPER = (246, 244, 238)
INK = (26, 30, 38)
GREY = (72, 76, 88)
ACCENT = (230, 165, 42)
COLOURS = 48  # a small palette keeps the PNG small; the design has few colours


@dataclass(frozen=True)
class TextBlock:
    lines: list[str]
    font: ImageFont.FreeTypeFont
    leading: int  # distance between baselines, in pixels

    @property
    def height(self) -> int:
        return self.leading * len(self.lines)


def cover_png(
    metadata: Metadata, field: str = "#0d2b52", heading_face: str = SANS, text_face: str = SERIF
) -> bytes:
    """The cover as a PNG without text chunks or timestamps, in the theme's faces, its field
    in the theme's cover colour ("#rrggbb"), the kicker and subtitle in tints of it."""
    title_face = label_face = Face(heading_face, "Bold", 700, False)
    subtitle_face = Face(text_face, "Italic", 400, True)
    date_face = Face(heading_face, "Regular", 400, False)
    ground = tuple(int(field[i : i + 2], 16) for i in (1, 3, 5))
    pale, mist = (PALE_BLUE, MIST) if ground == NAVY else (_tint(ground, 0.65), _tint(ground, 0.85))
    image = Image.new("RGB", (WIDTH, HEIGHT), ground)
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN
    y = MARGIN
    if metadata.consultation:
        kicker = metadata.addressee.upper()
        y = _draw(draw, _wrap(kicker, label_face, 46, width, 1.35), y, pale) + 40
    draw.rectangle((MARGIN, y, MARGIN + 180, y + 14), fill=ACCENT)
    y += 14
    subtitle = (
        _wrap(metadata.subtitle, subtitle_face, 62, width, 1.3) if metadata.subtitle else None
    )
    gap = 64 if subtitle else 0
    room = PANEL_TOP - y - 2 * 96 - (subtitle.height + gap if subtitle else 0)
    title = _fit(metadata.title, title_face, width, room, sizes=range(168, 80, -4))
    group = title.height + (subtitle.height + gap if subtitle else 0)
    # The title group sits a little above the middle of the dark field.
    y += 96 + (PANEL_TOP - y - 2 * 96 - group) * 2 // 5
    y = _draw(draw, title, y, (255, 255, 255))
    if subtitle:
        _draw(draw, subtitle, y + gap, mist)
    draw.rectangle((0, PANEL_TOP, WIDTH, HEIGHT), fill=PAPER)
    draw.rectangle((0, PANEL_TOP, WIDTH, PANEL_TOP + 18), fill=ACCENT)
    author = _fit(metadata.author, label_face, width, 300, sizes=range(64, 36, -2), leading=1.25)
    date = _wrap(metadata.display_date, date_face, 54, width, 1.3)
    y = (PANEL_TOP + 18 + HEIGHT - author.height - 40 - date.height) // 2
    y = _draw(draw, author, y, INK)
    _draw(draw, date, y + 40, GREY)
    return _png_bytes(image)


def _tint(colour: tuple[int, ...], amount: float) -> tuple[int, int, int]:
    """colour mixed with white: amount 0 is the colour, 1 white."""
    r, g, b = (round(c + (255 - c) * amount) for c in colour)
    return (r, g, b)


def _fit(
    text: str,
    face: Face,
    width: int,
    height: int,
    sizes: range,
    leading: float = 1.12,
) -> TextBlock:
    """The largest size in sizes at which text, wrapped to width, fits height."""
    block = None
    for size in sizes:
        block = _wrap(text, face, size, width, leading)
        if block.height <= height:
            return block
    assert block is not None
    return block


def _wrap(text: str, face: Face, size: int, width: int, leading: float) -> TextBlock:
    """Text in as few lines as fit width, made as even in length as those lines allow."""
    font = _font(face, size)
    lines = _greedy_lines(text, font, width)
    narrowest = width
    while narrowest > width // 2:
        shorter = _greedy_lines(text, font, narrowest - 8)
        if len(shorter) != len(lines):
            break
        narrowest -= 8
    return TextBlock(_greedy_lines(text, font, narrowest), font, round(size * leading))


def _greedy_lines(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _draw(draw: ImageDraw.ImageDraw, block: TextBlock, top: int, fill: tuple[int, int, int]) -> int:
    """Draw block's lines from top down; return where the block ends."""
    ascent = block.font.getmetrics()[0]
    for index, line in enumerate(block.lines):
        baseline = top + index * block.leading + ascent
        draw.text((MARGIN, baseline), line, font=block.font, fill=fill, anchor="ls")
    return top + block.height


_font_cache: dict[tuple[Face, int], ImageFont.FreeTypeFont] = {}


def _font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    key = (face, size)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(str(find_face(face)), size)
    return _font_cache[key]


def _png_bytes(image: Image.Image) -> bytes:
    # The fast quantizer and zlib's default level: a tenth of the time of median cut and
    # optimize=True, for a file about a sixth larger.
    palette = image.quantize(COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    written = io.BytesIO()
    palette.save(written, format="PNG", compress_level=6)
    return written.getvalue()
