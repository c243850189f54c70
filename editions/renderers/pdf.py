"""The PDF edition (not yet implemented)."""

from __future__ import annotations

from pathlib import Path

from ..errors import EditionsError
from ..publication import Publication


class PdfRenderer:
    name = "pdf"
    suffix = ".pdf"

    def render(self, publication: Publication, out_dir: Path) -> Path:
        raise EditionsError("the pdf edition is not yet implemented")
