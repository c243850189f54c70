"""The EPUB 3 edition: pandoc's EPUB writer, then navigation, fonts and metadata finished."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from ..cover import cover_png
from ..epub_book import STYLESHEET, finish_book
from ..epub_source import epub_document, pictures
from ..epub_zip import Entries, read_entries, write_container
from ..output import atomic_path
from ..pandoc import run_pandoc
from ..paths import TEMPLATES
from ..publication import Publication
from .base import edition_path

PAGE_TEMPLATE = TEMPLATES / "epub" / "page.xhtml"


class EpubRenderer:
    name = "epub"
    suffix = ".epub"

    def render(self, publication: Publication, out_dir: Path) -> Path:
        target = edition_path(publication, out_dir, self.suffix)
        document = epub_document(publication)
        with tempfile.TemporaryDirectory(prefix="editions-epub-") as scratch:
            entries = pandoc_epub(publication, document, Path(scratch))
        book = finish_book(entries, publication, pictures(document))
        with atomic_path(target) as temporary:
            write_container(book, temporary, publication.build_date)
        return target


def pandoc_epub(publication: Publication, document: dict[str, Any], scratch: Path) -> Entries:
    """pandoc's EPUB of document: one content document per question, cover and title page."""
    cover = scratch / "cover.png"
    cover.write_bytes(cover_png(publication.metadata))
    output = scratch / "book.epub"
    run_pandoc(
        [
            "--from",
            "json",
            "--to",
            "epub3",
            "--output",
            str(output),
            f"--template={PAGE_TEMPLATE}",
            f"--css={STYLESHEET}",
            f"--epub-cover-image={cover}",
            "--split-level=1",
            "--toc",
            "--toc-depth=2",
            "--wrap=none",
            f"--variable=dir:{publication.metadata.direction}",
        ],
        stdin=json.dumps(document, ensure_ascii=False, sort_keys=True),
        cwd=publication.folder,
        source_date=publication.build_date,
    )
    return read_entries(output)
