"""The HTML edition: one standalone, accessible page; its markup is also the PDF's."""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

import jinja2

from ..output import write_atomically
from ..pandoc import run_pandoc
from ..paths import TEMPLATES
from ..publication import Publication
from .base import edition_path

HTML_TEMPLATES = TEMPLATES / "html"
# A link whose text is its address, as pandoc writes it (bare URLs, the references' URLs).
SHOWN_ADDRESS = re.compile(r'(<a href="(https?://[^"]+)"[^>]*>)\2</a>')
# An address in pieces: the host, then each run of characters a line may break before
# (Chicago 14.18) with what follows it.
ADDRESS_PIECE = re.compile(r"https?://[^/?#]*|[/~.,_?#%=&-]*[^/~.,_?#%=&-]*")


class HtmlRenderer:
    name = "html"
    suffix = ".html"

    def render(self, publication: Publication, out_dir: Path) -> Path:
        target = edition_path(publication, out_dir, self.suffix)
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
    """The document body: one <section> per heading, headings one level below the title;
    addresses shown in full break only where they should."""
    body = run_pandoc(
        [
            "--from",
            "json",
            "--to",
            "html5",
            "--section-divs",
            "--shift-heading-level-by=1",
            "--wrap=none",
            "--email-obfuscation=none",
        ],
        stdin=publication.ast_json,
    ).decode("utf-8")
    return SHOWN_ADDRESS.sub(lambda link: link[1] + address_markup(link[2]) + "</a>", body)


def address_markup(address: str) -> str:
    """The text of a link showing its address (HTML-escaped), breakable only before a slash,
    hyphen, dot and the like: the host and each piece are kept on one line (the stylesheets'
    .url-host and .url-part), with a <wbr> between them."""
    pieces = [piece for piece in ADDRESS_PIECE.findall(html.unescape(address)) if piece]
    if len(pieces) > 1 and not pieces[-1].strip("/~.,_?#%=&-"):
        pieces[-2:] = [pieces[-2] + pieces[-1]]  # a closing '/' stays with what it closes
    return "<wbr>".join(
        f'<span class="{"url-part" if number else "url-host"}">{html.escape(piece, False)}</span>'
        for number, piece in enumerate(pieces)
    )


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
