"""The EPUB 3 edition: pandoc's EPUB writer, then navigation, fonts and metadata finished."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from editions.adapters import templates
from editions.adapters.pandoc import run_pandoc
from editions.formats.base import edition_path
from editions.formats.epub.container import Entries, read_entries, write_container
from editions.formats.epub.cover import cover_png
from editions.formats.epub.finish import finish_book
from editions.formats.epub.prepare import epub_document, pictures
from editions.model.publication import Publication
from editions.output import atomic_path


class EpubRenderer:
    name = "epub"

    def render(self, publication: Publication, out_dir: Path) -> Path:
        target = edition_path(publication, out_dir, self.name)
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
    theme = publication.theme
    cover.write_bytes(
        cover_png(publication.metadata, theme.cover_colour, theme.heading_face, theme.text_face)
    )
    output = scratch / "book.epub"
    run_pandoc(
        [
            "--output",
            str(output),
            f"--epub-cover-image={cover}",
            f"--variable=dir:{publication.metadata.direction}",
            # The title page's markup, from the template every edition's title block shares.
            "--variable=title-block:" + title_page(publication),
        ],
        defaults=["write", "epub"],
        stdin=json.dumps(document, ensure_ascii=False, sort_keys=True),
        # Images are data: URIs of checked bytes: pandoc has nothing to read in the folder.
        cwd=scratch,
        source_date=publication.build_date,
    )
    return read_entries(output)


def title_page(publication: Publication) -> str:
    markup = templates.render(
        "epub/title-page.xhtml.j2",
        meta=publication.metadata,
        theme=publication.theme,
        endorsers=len(publication.endorsers),
    )
    return markup.removesuffix("\n")
