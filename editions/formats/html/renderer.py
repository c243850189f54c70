"""The HTML edition: one standalone, accessible page; its markup is also the PDF's."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from editions.adapters.pandoc import run_pandoc
from editions.formats.base import edition_path
from editions.model.publication import Publication
from editions.output import write_atomically
from editions.paths import TEMPLATES

HTML_TEMPLATES = TEMPLATES / "html"


class HtmlRenderer:
    name = "html"

    def render(self, publication: Publication, out_dir: Path) -> Path:
        target = edition_path(publication, out_dir, self.name)
        page = page_markup(publication, stylesheet=read_template("html/screen.css"))
        write_atomically(target, page.encode("utf-8"))
        return target


def page_markup(publication: Publication, stylesheet: str, medium: str = "screen") -> str:
    """The whole page: title block, contents, the body as pandoc writes it, colophon."""
    return (
        _environment()
        .get_template("page.html.j2")
        .render(
            meta=publication.metadata,
            contents=publication.contents,
            body=body_markup(publication),
            stylesheet=stylesheet,
            medium=medium,
            built=publication.build_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    )


def body_markup(publication: Publication) -> str:
    """The document body: one <section> per heading, headings one level below the title."""
    return run_pandoc([], stdin=publication.ast_json, defaults=["write", "html"]).decode("utf-8")


@functools.cache
def read_template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HTML_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
