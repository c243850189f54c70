"""The project's templates (templates/, a folder per format): one Jinja environment for all.

Templates and stylesheets are read from disk whenever they changed, never kept for the life of
the process, so that the live preview serves an edit of a template or a stylesheet at once."""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from editions.paths import TEMPLATES


def render(name: str, **context: Any) -> str:
    """The template templates/NAME rendered with context (autoescaped; unknown names fail)."""
    return _environment().get_template(name).render(**context)


def read(name: str) -> str:
    """The text of templates/NAME (a stylesheet), as it is on disk now."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


@functools.cache
def _environment() -> jinja2.Environment:
    # auto_reload: a template edited since it was compiled is compiled again.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
