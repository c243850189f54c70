"""The publication's metadata: the YAML block at the top of the master, validated."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from editions.adapters.yamlfile import Located, load_yaml
from editions.errors import EditionsError
from editions.model import scripts
from editions.model.limits import MAX_FIELD_CHARS
from editions.model.words import Words, display_date, words_for

REQUIRED = ("title", "author", "date", "lang", "identifier")
OPTIONAL = (
    "subtitle",
    "short-title",
    "publisher",
    "version",
    "description",
    "keywords",
    "rights",
    "consultation",
    "paper",
    "limits",
    "status",
    "endorsers-heading",
    "endorser-details",
)
# A draft carries the word DRAFT in every edition and cannot be released; absent is final.
STATUSES = ("draft", "final")
# Fields the model alone reads: pandoc is not handed them (its Word writer would copy an
# unknown field into the document's custom properties, and --status must win over the master).
MODEL_ONLY = ("status", "endorsers-heading", "endorser-details")
# What endorsers.yaml holds that the list may show besides the names, when the master asks.
ENDORSER_DETAILS = ("country", "website")
# The endorser list's heading when the master names none.
LIMIT_FIELDS = ("words-per-answer", "words")
CONSULTATION_FIELDS = ("name", "organiser", "url")
PAPER_SIZES = ("a4", "letter")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# How pandoc tells a metadata block anywhere in a document: '---' alone on a line after a
# blank line, text on the next line, and a closing '---' or '...' line further on.
BLOCK_START = re.compile(r"---[ \t]*")
BLOCK_END = re.compile(r"(?:---|\.\.\.)[ \t]*")
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Consultation:
    name: str
    organiser: str
    url: str


@dataclass(frozen=True)
class Limits:
    """What the consultation allows: words per answer, words in all the answers."""

    words_per_answer: int | None = None
    words: int | None = None
    line: int | None = None  # of 'limits:' in the master, to point at


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    date: dt.date
    lang: str
    identifier: str
    subtitle: str = ""
    short_title: str = ""
    publisher: str = ""
    version: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    rights: str = ""
    consultation: Consultation | None = None
    paper: str = "a4"
    limits: Limits = Limits()
    status: str = "final"
    status_line: int | None = None  # of 'status:' in the master, to point at
    endorsers_heading: str = "Endorsing organisations"
    endorser_details: tuple[str, ...] = ()  # of ENDORSER_DETAILS

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def draft_notice(self) -> str:
        """What a draft says on every page: 'DRAFT — version 1.1, 5 February 2025'."""
        if self.version:
            return self.words.say("draft-version", version=self.version, date=self.display_date)
        return self.words.say("draft", date=self.display_date)

    @property
    def words(self) -> Words:
        """The editions' own words in the publication's language (checked when parsed)."""
        return words_for(self.lang)

    @property
    def addressee(self) -> str:
        """To whom the text is addressed: the consultation's organiser."""
        if self.consultation is None:
            return ""
        organiser = self.consultation.organiser
        if self.words.lang.startswith("en") and organiser.casefold().startswith("the "):
            organiser = organiser[4:]  # 'Submitted to the ...' has its article
        return self.words.say("submitted-to", organiser=organiser)

    @property
    def running_title(self) -> str:
        return self.short_title or self.title

    @property
    def direction(self) -> str:
        """The writing direction of the publication's language: 'rtl' or 'ltr'."""
        return scripts.direction(self.lang)

    @property
    def display_date(self) -> str:
        """The date as a reader of the language writes it."""
        return display_date(self.date, self.lang)


def split_front_matter(text: str, path: Path) -> tuple[str, int]:
    """Return the YAML text of the master's metadata block and the line it starts on."""
    match = FRONT_MATTER.match(text)
    if not match:
        raise EditionsError(
            "the master must start with a YAML metadata block between two '---' lines",
            path,
            1,
        )
    return match.group(1), 1


def parse_metadata(
    text: str, path: Path, lang: str | None = None
) -> tuple[Metadata, dict[str, Any]]:
    """The validated metadata, and the same fields as plain data for pandoc to read.

    lang, if given, is the language a translation's file name says (master.LANG.md): its
    'lang' field must say the same, or be left out and taken from it."""
    block, offset = split_front_matter(text, path)
    data = load_yaml(block, path, line_offset=offset)
    if not isinstance(data, Located):
        raise EditionsError("the metadata block must be a list of 'field: value' lines", path, 2)
    fields = {k: v for k, v in _plain(data).items() if k not in MODEL_ONLY}
    if lang is not None:
        _check_named_lang(data, lang, path)
        fields["lang"] = lang
    return _validate(data, path, lang), fields


def refuse_later_blocks(text: str, path: Path) -> None:
    """Refuse a second metadata block: pandoc would merge it into the metadata unchecked.

    The body is parsed without pandoc's metadata blocks; this tells the contributor why a
    block that pandoc's documentation promises would not work. Code blocks are skipped."""
    lines = text.split("\n")
    start = FRONT_MATTER.match(text)
    first = text[: start.end()].count("\n") if start else 0
    fence = ""
    for index in range(first, len(lines)):
        line = lines[index]
        opening = FENCE.match(line)
        if opening and (not fence or opening.group(1).startswith(fence)):
            fence = "" if fence else opening.group(1)
            continue
        if fence or not BLOCK_START.fullmatch(line):
            continue
        after_blank = index == first or not lines[index - 1].strip()
        followed = index + 1 < len(lines) and lines[index + 1].strip()
        if after_blank and followed and any(BLOCK_END.fullmatch(x) for x in lines[index + 2 :]):
            raise EditionsError(
                "a second metadata block ('---' then 'field: value' lines): only the block "
                "at the top of the master may set metadata; move its fields there, or put a "
                "blank line after '---' for a horizontal rule",
                path,
                index + 1,
            )


def _plain(data: object) -> Any:
    """The YAML data as JSON values, every scalar a string, for pandoc's --metadata-file."""
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return str(data)


def _check_named_lang(data: Located, lang: str, path: Path) -> None:
    value = data.get("lang")
    if value in (None, ""):
        return
    line = data.key_lines.get("lang")
    written = _lang(str(value).strip(), path, line)
    if written.casefold() != lang.casefold():
        raise EditionsError(
            f"lang '{written}' does not match the file's name, which says '{lang}': write "
            f"'lang: {lang}' or leave the field out (or rename the file to "
            f"master.{written}.md)",
            path,
            line,
        )


def _validate(data: Located, path: Path, named_lang: str | None = None) -> Metadata:
    known = REQUIRED + OPTIONAL
    for key in data:
        if key not in known:
            raise EditionsError(
                f"unknown metadata field '{key}'; known fields: {', '.join(known)}",
                path,
                data.key_lines.get(str(key)),
            )
    for key in REQUIRED:
        if key == "lang" and named_lang is not None:
            continue
        if key not in data or data[key] in (None, ""):
            raise EditionsError(_missing(key), path, data.line)

    for key, value in data.items():
        _check_length(value, path, data.key_lines.get(str(key)))

    def text(key: str) -> str:
        value = data.get(key, "")
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            raise EditionsError(f"'{key}' must be plain text", path, data.key_lines.get(key))
        return str(value).strip()

    lang = named_lang or _lang(text("lang"), path, data.key_lines.get("lang"))
    # The editions' own words in the language, or one error at its line.
    language_words = words_for(lang, path, data.key_lines.get("lang"))
    return Metadata(
        title=text("title"),
        author=text("author"),
        date=_date(data, path),
        lang=lang,
        identifier=text("identifier"),
        subtitle=text("subtitle"),
        short_title=text("short-title"),
        publisher=text("publisher"),
        version=text("version"),
        description=" ".join(text("description").split()),
        keywords=_keywords(data, path),
        rights=text("rights"),
        consultation=_consultation(data, path),
        paper=_paper(text("paper") or "a4", path, data.key_lines.get("paper")),
        limits=_limits(data, path),
        status=_status(text("status") or "final", path, data.key_lines.get("status")),
        status_line=data.key_lines.get("status"),
        endorsers_heading=text("endorsers-heading") or language_words["endorsers-heading"],
        endorser_details=_endorser_details(data, path),
    )


def _check_length(value: object, path: Path, line: int | None) -> None:
    values = value.values() if isinstance(value, dict) else value
    for item in values if isinstance(value, (dict, list)) else [value]:
        if isinstance(item, (dict, list)):
            _check_length(item, path, line)
        elif len(str(item)) > MAX_FIELD_CHARS:
            raise EditionsError(
                f"a value of {len(str(item)):,} characters; a metadata field holds at most "
                f"{MAX_FIELD_CHARS:,}: put long text in the body",
                path,
                line,
            )


def _missing(key: str) -> str:
    if key == "identifier":
        # A fresh one to paste: the EPUB's dc:identifier and the PDF's document id.
        return (
            f"the metadata block needs an 'identifier' field; add the line "
            f"'identifier: urn:uuid:{uuid.uuid4()}' (the EPUB and the PDF identify the "
            "publication by it: keep it the same in every version)"
        )
    article = "an" if key[0] in "aeiou" else "a"
    return f"the metadata block needs {article} '{key}' field"


def _date(data: Located, path: Path) -> dt.date:
    value: Any = data["date"]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise EditionsError(
            f"date '{value}' is not a date; write it as YYYY-MM-DD",
            path,
            data.key_lines.get("date"),
        ) from error


def _lang(value: str, path: Path, line: int | None) -> str:
    if not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", value):
        raise EditionsError(
            f"lang '{value}' is not a language tag such as 'en' or 'fr-CA'", path, line
        )
    return value


def _endorser_details(data: Located, path: Path) -> tuple[str, ...]:
    value = data.get("endorser-details") or []
    line = data.key_lines.get("endorser-details")
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list) or any(v not in ENDORSER_DETAILS for v in value):
        raise EditionsError(
            f"endorser-details must list some of: {', '.join(ENDORSER_DETAILS)}", path, line
        )
    return tuple(dict.fromkeys(value))


def _keywords(data: Located, path: Path) -> tuple[str, ...]:
    value = data.get("keywords") or []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise EditionsError(
            "keywords must be a list of words or phrases", path, data.key_lines.get("keywords")
        )
    return tuple(str(v) for v in value if str(v))


def _consultation(data: Located, path: Path) -> Consultation | None:
    value = data.get("consultation")
    if value is None:
        return None
    line = data.key_lines.get("consultation")
    if not isinstance(value, Located):
        raise EditionsError("consultation must have name, organiser and url fields", path, line)
    for key in value:
        if key not in CONSULTATION_FIELDS:
            raise EditionsError(
                f"unknown consultation field '{key}'; known fields: "
                f"{', '.join(CONSULTATION_FIELDS)}",
                path,
                value.key_lines.get(str(key)),
            )
    missing = [key for key in CONSULTATION_FIELDS if not value.get(key)]
    if missing:
        raise EditionsError(f"consultation needs {', '.join(missing)}", path, line)
    url = str(value["url"])
    if not url.startswith(("https://", "http://")):
        raise EditionsError(
            "consultation url must start with https://", path, value.key_lines.get("url")
        )
    return Consultation(str(value["name"]), str(value["organiser"]), url)


def _status(value: str, path: Path | None, line: int | None) -> str:
    if value not in STATUSES:
        raise EditionsError(
            f"status '{value}' is neither draft nor final; write 'status: draft' while the text "
            "may change, 'status: final' (or no status) for the edition to release",
            path,
            line,
        )
    return value


def with_status(metadata: Metadata, status: str | None) -> Metadata:
    """The metadata with its status overridden for one build (--status), if given."""
    if status is None:
        return metadata
    return replace(metadata, status=_status(status, None, None))


def _paper(value: str, path: Path, line: int | None) -> str:
    value = value.lower()
    if value not in PAPER_SIZES:
        raise EditionsError(f"paper must be one of {', '.join(PAPER_SIZES)}", path, line)
    return value


def _limits(data: Located, path: Path) -> Limits:
    value = data.get("limits")
    line = data.key_lines.get("limits")
    if value is None:
        return Limits()
    if not isinstance(value, Located):
        raise EditionsError(
            "limits must be fields such as 'limits: {words-per-answer: 500, words: 3000}'",
            path,
            line,
        )
    for key, number in value.items():
        where = value.key_lines.get(str(key), line)
        if key not in LIMIT_FIELDS:
            raise EditionsError(
                f"unknown limit '{key}'; known limits: {', '.join(LIMIT_FIELDS)}", path, where
            )
        if type(number) is not int or number <= 0:
            raise EditionsError(
                f"the limit '{key}' must be a whole number of words above 0", path, where
            )
    return Limits(value.get("words-per-answer"), value.get("words"), line)
