"""The words the editions write themselves (contents, page numbers, the title block's
labels, the colophon, a draft's notice, a redline's summary), one table per language in
templates/common/words.yaml, and dates written the language's way (CLDR, through Babel).

A language's table may leave a key out, and the English words stand in; a publication in a
language with no table is refused, naming its 'lang' line.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from editions.errors import EditionsError
from editions.paths import TEMPLATES

WORDS_FILE = TEMPLATES / "common" / "words.yaml"
FALLBACK = "en"
# English dates as the UN writes them: 5 February 2025 (CLDR's 'long' is American).
DATE_PATTERNS = {"en": "d MMMM y"}


@dataclass(frozen=True)
class Words:
    """One language's words; words["contents"], words.say("page", page=2, pages=9)."""

    lang: str
    table: tuple[tuple[str, Any], ...]
    fallback: tuple[tuple[str, Any], ...]

    def __getitem__(self, key: str) -> str:
        """The words as written: a template such as 'page {page} of {pages}' unfilled."""
        value = self._value(key)
        if isinstance(value, dict):
            raise KeyError(f"'{key}' is said by count: use count('{key}', n)")
        return str(value)

    def say(self, key: str, **values: Any) -> str:
        return self[key].format(**values)

    def count(self, key: str, count: int, **values: Any) -> str:
        """The words for count of something, in the language's plural form for count."""
        forms = self._value(key)
        category = _locale(self.lang).plural_form(count)
        form = forms.get(category, forms["other"])
        return str(form).format(count=count, **values)

    def date(self, day: dt.date) -> str:
        return display_date(day, self.lang)

    @property
    def quotes(self) -> tuple[str, ...]:
        """The language's quotation marks: opening and closing double, then single."""
        return tuple(self._value("quotes"))

    def _value(self, key: str) -> Any:
        for table in (self.table, self.fallback):
            for name, value in table:
                if name == key:
                    return value
        raise KeyError(f"no words for '{key}' in {WORDS_FILE.name}")


def words_for(lang: str, path: Path | None = None, line: int | None = None) -> Words:
    """The words of lang (a BCP 47 tag): its own table, else its language's ('zh-Hans' reads
    'zh'). path and line, the 'lang' field's, are what an error names."""
    tables = _tables()
    if lang not in tables and _primary(lang) not in tables:
        raise EditionsError(
            f"the editions have no words of their own for the language '{lang}' (contents, "
            f"page numbers, labels); write it in one of {', '.join(sorted(tables))}, or add "
            f"a table for it to templates/common/{WORDS_FILE.name}",
            path,
            line,
        )
    return _words(lang)


@functools.cache
def _words(lang: str) -> Words:
    """lang's words, made once: every template asks for them many times."""
    tables = _tables()
    table = tables.get(lang) or tables[_primary(lang)]
    return Words(lang, tuple(table.items()), tuple(tables[FALLBACK].items()))


def placeholders(template: str, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """template cut at its {name}s: 'page {page} of {pages}' -> [('page ', 'page'),
    (' of ', 'pages')], each text with the placeholder after it ('' for none)."""
    tokens = {f"{{{name}}}": name for name in names}
    pieces: list[tuple[str, str]] = []
    rest = template
    while rest:
        found = [(rest.find(token), token) for token in tokens if token in rest]
        if not found:
            pieces.append((rest, ""))
            break
        index, token = min(found)
        pieces.append((rest[:index], tokens[token]))
        rest = rest[index + len(token) :]
    return pieces


def display_date(day: dt.date, lang: str) -> str:
    """day as a reader of lang writes it: '5 February 2025', '5 février 2025', '2025年2月5日'."""
    try:
        locale = _locale(lang)
    except (UnknownLocaleError, ValueError):
        locale = _locale(FALLBACK)
    return format_date(day, DATE_PATTERNS.get(_primary(lang), "long"), locale=locale)


@functools.cache
def _tables() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang.replace("-", "_"))


def _primary(lang: str) -> str:
    return lang.split("-")[0].lower()
