"""The format renderers, in one explicit table."""

from __future__ import annotations

from .base import Renderer
from .docx import DocxRenderer
from .epub import EpubRenderer
from .html import HtmlRenderer
from .pdf import PdfRenderer

RENDERERS: dict[str, Renderer] = {
    renderer.name: renderer
    for renderer in (HtmlRenderer(), PdfRenderer(), DocxRenderer(), EpubRenderer())
}

__all__ = ["RENDERERS", "Renderer"]
