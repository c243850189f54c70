"""The DOCX edition (not yet implemented)."""

from __future__ import annotations

from pathlib import Path

from ..errors import EditionsError
from ..publication import Publication


class DocxRenderer:
    name = "docx"
    suffix = ".docx"

    def render(self, publication: Publication, out_dir: Path) -> Path:
        raise EditionsError("the docx edition is not yet implemented")
