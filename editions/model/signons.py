"""Sign-ons from a form: the rows of its CSV export checked, ordered by arrival and compared
with the endorsers already listed, into a plan of what to add."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from editions.adapters.csvfile import Row
from editions.errors import EditionsError
from editions.model import names
from editions.model.endorsers import KINDS, WEBSITE, Endorser

# The endorser fields a form may fill, and the timestamp that orders the rows.
COLUMN_FIELDS = ("name", "short-name", "country", "website", "kind", "timestamp")
# Header words that name each field, strongest first. Every header is claimed by one field
# at most, in this order: 'Organisation website' is the website, not the name.
SYNONYMS = {
    "short-name": ("short name", "acronym", "abbreviation"),
    "website": ("website", "web site", "url", "web address"),
    "country": ("country", "economy"),
    "kind": ("type", "kind"),
    "timestamp": ("timestamp", "submitted", "submission date", "completion time", "date"),
    "name": ("organisation", "organization", "name"),
}
TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
)
ZONE = re.compile(r"\s+(?:(?:GMT|UTC)(?:[+-]\d{1,2}(?::?\d\d)?)?|[A-Z]{3,4})\Z")


@dataclass
class SignOn:
    """One row of the CSV: the endorser it asks for, and what became of it."""

    line: int
    entry: dict[str, str]  # endorsers.yaml field -> value, only the fields given
    notes: list[str] = field(default_factory=list)
    error: str = ""  # why the row cannot be added; what to do
    duplicate_of: str = ""  # 'CSV line 4' or 'endorsers.yaml line 12 (DENIC eG)'

    @property
    def name(self) -> str:
        return self.entry.get("name", "")


@dataclass(frozen=True)
class Plan:
    columns: dict[str, str]  # field -> header
    sign_ons: list[SignOn]
    order_note: str  # how the rows were ordered

    @property
    def additions(self) -> list[SignOn]:
        return [s for s in self.sign_ons if not s.error and not s.duplicate_of]

    @property
    def duplicates(self) -> list[SignOn]:
        return [s for s in self.sign_ons if s.duplicate_of]

    @property
    def errors(self) -> list[SignOn]:
        return [s for s in self.sign_ons if s.error]


def find_columns(header: list[str], given: dict[str, str], path: Path) -> dict[str, str]:
    """Which header holds each field: as given (--column field=header), else by its name."""
    columns: dict[str, str] = {}
    for field_name, wanted in given.items():
        if field_name not in COLUMN_FIELDS:
            raise EditionsError(
                f"unknown field '{field_name}' in --column; use one of {', '.join(COLUMN_FIELDS)}"
            )
        matches = [h for h in header if _words(h) == _words(wanted)]
        if not matches:
            raise EditionsError(
                f"no column '{wanted}' for {field_name}; the columns are: "
                + ", ".join(repr(h) for h in header),
                path,
                1,
            )
        columns[field_name] = matches[0]
    taken = set(columns.values())
    for field_name, synonyms in SYNONYMS.items():
        if field_name in columns:
            continue
        ranked = sorted(
            (rank, h)
            for h in header
            if h not in taken and (rank := _rank(_words(h), synonyms)) is not None
        )
        if not ranked:
            continue
        best = [h for rank, h in ranked if rank == ranked[0][0]]
        if len(best) > 1:
            raise EditionsError(
                f"the columns {' and '.join(repr(h) for h in best)} could both be the "
                f'{field_name}; say which with --column {field_name}="..."',
                path,
                1,
            )
        columns[field_name] = best[0]
        taken.add(best[0])
    if "name" not in columns:
        raise EditionsError(
            'no column holds the organisation\'s name; name it with --column name="<its header>"',
            path,
            1,
        )
    return columns


def plan_sign_ons(
    rows: list[Row],
    columns: dict[str, str],
    existing: list[tuple[Endorser, int]],
    endorsers_file: str,
) -> Plan:
    """Check every row, order them by arrival, and find which are already listed."""
    rows, order_note = _by_arrival(rows, columns.get("timestamp"))
    sign_ons = [_sign_on(row, columns) for row in rows]
    seen = {names.key(e.name): f"{endorsers_file} line {line} ({e.name})" for e, line in existing}
    for sign_on in sign_ons:
        if sign_on.error:
            continue
        name_key = names.key(sign_on.name)
        if name_key in seen:
            sign_on.duplicate_of = seen[name_key]
        else:
            seen[name_key] = f"CSV line {sign_on.line}"
    return Plan(columns, sign_ons, order_note)


def _sign_on(row: Row, columns: dict[str, str]) -> SignOn:
    sign_on = SignOn(row.line, {})
    for field_name, header in columns.items():
        if field_name == "timestamp":
            continue
        try:
            value, notes = names.clean(row.values.get(header, ""))
        except names.UnprintableNameError as error:
            sign_on.error = f"the {field_name} {error}; retype it"
            return sign_on
        sign_on.notes += [f"{field_name}: {note}" for note in notes]
        if value:
            sign_on.entry[field_name] = value
    sign_on.error = _problem(sign_on.entry)
    return sign_on


def _problem(entry: dict[str, str]) -> str:
    """Why the entry cannot be listed, or ''."""
    name = entry.get("name", "")
    if not names.key(name):
        return "no organisation name; fill it in or drop the row"
    website = entry.get("website", "")
    if website and not (website.startswith("https://") and WEBSITE.fullmatch(website)):
        if website.startswith("http://"):
            return f"website '{website}' is not https; use its https:// address"
        return f"website '{website}' is not a web address; write it as https://..."
    if "kind" in entry:
        kind = "-".join(entry["kind"].casefold().replace("_", " ").split())
        if kind not in KINDS:
            return f"unknown kind '{entry['kind']}'; use one of {', '.join(KINDS)}"
        entry["kind"] = kind
    return ""


def _by_arrival(rows: list[Row], timestamp: str | None) -> tuple[list[Row], str]:
    """The rows sorted by their timestamp (stable); the file's order when there is none or
    one of the formats below does not read them all (the same format for every row, so
    that 03/04 is read the same way throughout)."""
    if timestamp is None:
        return rows, "in the order of the file (no timestamp column)"
    values = [" ".join(row.values.get(timestamp, "").split()) for row in rows]
    for parse in _timestamp_parsers():
        try:
            times = [parse(value) for value in values]
        except ValueError:
            continue
        order = sorted(range(len(rows)), key=lambda i: times[i])
        return [rows[i] for i in order], f"by '{timestamp}'"
    return rows, f"in the order of the file ('{timestamp}' holds times not understood)"


def _timestamp_parsers():
    def iso(value: str) -> dt.datetime:
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)

    yield iso
    for pattern in TIMESTAMP_FORMATS:
        yield lambda value, pattern=pattern: dt.datetime.strptime(_drop_zone(value), pattern)


def _drop_zone(value: str) -> str:
    """Google Forms may end a timestamp with the form's zone ('GMT+1'), the same for all."""
    return ZONE.sub("", value)


def _words(header: str) -> tuple[str, ...]:
    """A header's words without case, accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", header.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return tuple(letters.split())


def _rank(words: tuple[str, ...], synonyms: tuple[str, ...]) -> int | None:
    """How well a header names a field: 0 for its strongest synonym alone, higher for weaker
    synonyms or a synonym among other words; None when no synonym is among its words."""
    for index, synonym in enumerate(synonyms):
        wanted = tuple(synonym.split())
        if words == wanted:
            return 2 * index
        if any(words[i : i + len(wanted)] == wanted for i in range(len(words))):
            return 2 * index + 1
    return None
