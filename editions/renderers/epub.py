"""The EPUB edition (not yet implemented)."""

from __future__ import annotations

from pathlib import Path

from ..errors import EditionsError
from ..publication import Publication


class EpubRenderer:
    name = "epub"
    suffix = ".epub"

    def render(self, publication: Publication, out_dir: Path) -> Path:
        raise EditionsError("the epub edition is not yet implemented")
