"""The DOCX edition: a native Word document, every paragraph in a named style.

Pandoc's Word writer makes the document from the parsed publication, with a reference
document generated from templates/docx/styles.yaml; python-docx then adds what pandoc
cannot (document properties, language, page, header and footer), and the file is re-zipped
so that two builds of the same input are byte-identical.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import docx

from editions.adapters.pandoc import run_pandoc
from editions.formats.base import edition_path
from editions.formats.docx.contents import add_contents
from editions.formats.docx.draft import add_draft_style, mark_header
from editions.formats.docx.finish import (
    drop_empty_comments,
    drop_unused_styles,
    leave_first_page_bare,
    set_application_properties,
    set_core_properties,
    set_language,
    set_page,
    set_page_footer,
    set_running_header,
    style_heading_links,
)
from editions.formats.docx.logo import add_header_logo, add_title_logo, drawable
from editions.formats.docx.package import reproducible_zip
from editions.formats.docx.prepare import word_document
from editions.formats.docx.reference import reference_document
from editions.formats.docx.revisions import finish_revisions
from editions.formats.docx.scripts import set_writing_systems
from editions.formats.docx.styles import REDLINE_ROLES, StyleSpec, load_style_spec
from editions.model.directions import left_to_right_addresses, left_to_right_blocks
from editions.model.publication import Publication
from editions.output import atomic_path


class DocxRenderer:
    name = "docx"

    def render(self, publication: Publication, out_dir: Path) -> Path:
        target = edition_path(publication, out_dir, self.name)
        spec = load_style_spec(theme=publication.theme)
        if publication.redline is None:
            spec = spec.without_roles(REDLINE_ROLES)
        ast = publication.ast()
        # The directions the model set, read before the Word steps change the blocks.
        directions = left_to_right_blocks(ast["blocks"]), left_to_right_addresses(ast["blocks"])
        document = finish(pandoc_docx(publication, spec, ast), publication, spec, directions)
        with atomic_path(target) as temporary:
            temporary.write_bytes(document)
        return target


def pandoc_docx(publication: Publication, spec: StyleSpec, ast: dict[str, Any]) -> bytes:
    """The document as pandoc's Word writer makes it from ast (the publication's, changed
    here), styled by the generated reference."""
    ast = word_document(
        ast,
        spec.roles,
        publication.metadata,
        len(publication.endorsers),
        publication.redline,
    )
    with tempfile.TemporaryDirectory(prefix="editions-docx-") as scratch:
        reference = Path(scratch) / "reference.docx"
        reference.write_bytes(reference_document(spec))
        return run_pandoc(
            ["--reference-doc", str(reference), "--output", "-"],
            defaults=["write", "docx"],
            stdin=json.dumps(ast, ensure_ascii=False),
            source_date=publication.build_date,
        )


def finish(
    written: bytes,
    publication: Publication,
    spec: StyleSpec,
    directions: tuple[frozenset[str], frozenset[str]],
) -> bytes:
    """Properties, language, page, header and footer; then a reproducible zip. directions:
    the blocks and the addresses the model keeps left to right."""
    metadata = publication.metadata
    document = docx.Document(io.BytesIO(written))
    set_core_properties(document, metadata, publication.build_date)
    set_application_properties(document, metadata, publication.words)
    drop_empty_comments(document)
    if publication.redline is not None:
        finish_revisions(document)
    set_language(document, metadata.lang)
    roles = spec.roles
    style_heading_links(document, roles["heading-link"])
    if publication.theme.contents:
        add_contents(
            document,
            publication.contents,
            roles["contents-heading"],
            roles["contents-entry"],
            "Heading 1",
            metadata.words["contents"],
        )
    logo = publication.theme.logo if drawable(publication.theme.logo) else None
    if logo is not None:
        add_title_logo(document, logo, roles["logo"], "Title")
    header, footer = roles["header"], roles["footer"]
    draft = add_draft_style(document, header) if metadata.is_draft else None
    for index, section in enumerate(document.sections):
        set_page(section, spec.page, metadata.paper)
        set_running_header(section, metadata.running_title, header)
        set_page_footer(section, metadata.words["page"], footer)
        if logo is not None:
            add_header_logo(section, logo)
        leave_first_page_bare(section, header, footer)
        if draft:
            # Every page, the first too: a draft says so where the title stands.
            mark_header(section.header, metadata.draft_notice, draft, 2 * index + 1)
            mark_header(section.first_page_header, metadata.draft_notice, draft, 2 * index + 2)
    drop_unused_styles(document, frozenset(look.name.casefold() for look in spec.styles))
    # Last, over every paragraph and run the steps above added.
    set_writing_systems(document, metadata, spec.heading_font, *directions)
    out = io.BytesIO()
    document.save(out)
    return reproducible_zip(out.getvalue(), publication.build_date)
