"""The HTML edition: one standalone, accessible page; its body is also the PDF's."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from editions.adapters import templates
from editions.adapters.fonts import font_face_rule, font_format
from editions.adapters.pandoc import run_pandoc
from editions.formats.base import TABLES_STYLESHEET, edition_path
from editions.formats.html.addresses import break_shown_addresses
from editions.formats.html.changes import with_ins_del
from editions.model.publication import Publication
from editions.output import write_atomically

DRAFT_STYLESHEET = "common/draft.css"
LANGUAGES_STYLESHEET = "html/languages.css"
CHANGES_STYLESHEET = "common/changes.css"
FONT_NOTE = (
    "/* The theme's typefaces, embedded under their open licences and cut down to the page's "
    "text,\n   so that the page looks the same on any machine. */\n"
)


class HtmlRenderer:
    name = "html"

    def render(self, publication: Publication, out_dir: Path) -> Path:
        target = edition_path(publication, out_dir, self.name)
        page = page_markup(publication, "html/page.html.j2", screen_stylesheet(publication))
        write_atomically(target, with_fonts(page, publication).encode("utf-8"))
        return target


def screen_stylesheet(publication: Publication) -> str:
    """The page's stylesheet, after the theme's properties; a draft's has the banner's
    rules too, a redline's its marks."""
    stylesheet = publication.theme.css_root() + templates.read("html/screen.css")
    stylesheet += templates.read(TABLES_STYLESHEET)
    if publication.metadata.is_draft:
        stylesheet += templates.read(DRAFT_STYLESHEET)
    if publication.redline is not None:
        stylesheet += templates.read(CHANGES_STYLESHEET)
    if publication.languages:
        stylesheet += templates.read(LANGUAGES_STYLESHEET)
    return stylesheet


def with_fonts(page: str, publication: Publication) -> str:
    """The page with the theme's faces embedded in its stylesheet, each cut down to the
    characters the page holds (its markup is a superset of its text)."""
    rules = ""
    for face, data in publication.theme.cut_faces(set(page)):
        kind = font_format(data)
        encoded = base64.b64encode(data).decode("ascii")
        rules += font_face_rule(face, f"data:font/{kind};base64,{encoded}")
    return page.replace("<style>\n", "<style>\n" + FONT_NOTE + rules, 1)


def page_markup(publication: Publication, template: str, stylesheet: str) -> str:
    """The whole page as template lays it out: title block, contents, the body as pandoc
    writes it, colophon."""
    return templates.render(
        template,
        meta=publication.metadata,
        theme=publication.theme,
        endorsers=len(publication.endorsers),
        contents=publication.contents if publication.theme.contents else (),
        redline=publication.redline,
        body=body_markup(publication),
        stylesheet=stylesheet,
        built=publication.build_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        languages=publication.languages,
        edition_name=publication.edition_name,
        languages_label=publication.metadata.words["languages"],
    )


def body_markup(publication: Publication) -> str:
    """The document body: one <section> per heading, headings one level below the title;
    addresses shown in full break only where they should."""
    document = publication.ast_json
    if publication.redline is not None:
        document = json.dumps(with_ins_del(publication.ast()), ensure_ascii=False)
    body = run_pandoc([], stdin=document, defaults=["write", "html"]).decode("utf-8")
    return break_shown_addresses(body)
