"""An SVG drawn as a PNG, for a reader that cannot draw SVG (Word's pictures): WeasyPrint
lays the SVG out on a page of its own size, and pdfium draws that page as pixels."""

from __future__ import annotations

import base64
import io
import re

from lxml import etree

# Pixels per CSS pixel: a logo a few centimetres wide stays sharp in print.
SCALE = 4
NUMBER = re.compile(r"[\d.]+")


def svg_to_png(svg: bytes) -> bytes:
    """The SVG (already checked: editions/model/svg.py) as a PNG of its own proportions."""
    import pypdfium2
    import weasyprint  # a third of a second to import: only an SVG logo in a DOCX pays
    from weasyprint.urls import URLFetcher

    width, height = _size(svg)
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    page = (
        f"<style>@page {{ size: {width}px {height}px; margin: 0 }} body {{ margin: 0 }}</style>"
        f'<img src="{uri}" alt="" style="display: block; width: {width}px; height: {height}px">'
    )
    # The page holds the SVG inline: nothing else may be read.
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    pdf = weasyprint.HTML(string=page, url_fetcher=fetcher).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=SCALE * 0.75, may_draw_forms=False).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _size(svg: bytes) -> tuple[float, float]:
    """The SVG's size in CSS pixels: its width and height, else its viewBox's."""
    root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True))
    width, height = (_length(root.get(name)) for name in ("width", "height"))
    box = [float(n) for n in NUMBER.findall(root.get("viewBox", ""))]
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        if width and not height:
            height = width * box[3] / box[2]
        elif height and not width:
            width = height * box[2] / box[3]
        elif not width and not height:
            width, height = box[2], box[3]
    return (width or 300.0, height or 150.0)


def _length(value: str | None) -> float | None:
    if not value or value.strip().endswith("%"):
        return None
    found = NUMBER.match(value.strip())
    return float(found.group()) if found else None
