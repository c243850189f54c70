"""The bibliography: CSL JSON entries that citations in the master refer to."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from editions.adapters.sourcefile import CONTROL, decode_text, read_source
from editions.errors import EditionsError
from editions.model.limits import MAX_DATA_BYTES, MAX_JSON_DEPTH

CSL_TYPES = frozenset(
    [
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    ]
)
NAME_FIELDS = ("author", "editor", "translator", "container-author", "director", "recipient")
# What JSON nests with, outside its strings.
JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
CITE_KEY = re.compile(r"(?<![\w@.])@([\w][\w:.#$%&\-+?<>~/]*)")


def load_references(path: Path) -> tuple[tuple[dict[str, Any], ...], str]:
    """Parse and check a CSL JSON file; return its entries in file order, and its text (what
    pandoc's citeproc is given)."""
    text = decode_text(read_source(path, path.parent, MAX_DATA_BYTES), path)
    _check_depth(text, path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise EditionsError(
            f"not valid JSON: {error.msg}", path, error.lineno, error.colno
        ) from error
    if not isinstance(data, list):
        raise EditionsError("CSL JSON must be a list of entries: [ {...}, {...} ]", path, 1)
    seen: set[str] = set()
    for index, entry in enumerate(data):
        line = _line_of_entry(text, entry, index)
        _check_entry(entry, index, path, line)
        if entry["id"] in seen:
            raise EditionsError(f"duplicate CSL id '{entry['id']}'; ids must be unique", path, line)
        seen.add(entry["id"])
        _check_strings(entry, path, line)
    return tuple(data), text


def _check_depth(text: str, path: Path) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH before Python's parser recurses on it."""
    depth = 0
    for token in JSON_TOKEN.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise EditionsError(
                    f"values nested more than {MAX_JSON_DEPTH} levels deep; "
                    "CSL JSON needs five at most",
                    path,
                    text.count("\n", 0, token.start()) + 1,
                )
        elif bracket in "]}":
            depth -= 1


def _check_strings(value: Any, path: Path, line: int | None) -> None:
    """Refuse a control character written as an escape (\\u0001): the text itself was checked."""
    if isinstance(value, str) and CONTROL.search(value):
        raise EditionsError(
            f"a value holds the control character U+{ord(CONTROL.search(value).group()):04X}, "
            "which no edition can show; delete it",
            path,
            line,
        )
    if isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, path, line)
            _check_strings(item, path, line)
    elif isinstance(value, list):
        for item in value:
            _check_strings(item, path, line)


def _line_of_entry(text: str, entry: Any, index: int) -> int | None:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        position = text.find(json.dumps(entry["id"]))
        if position >= 0:
            return text.count("\n", 0, position) + 1
    return None


def _check_entry(entry: Any, index: int, path: Path, line: int | None) -> None:
    where = f"entry {index + 1}"
    if not isinstance(entry, dict):
        raise EditionsError(f"{where} is not a JSON object", path, line)
    if not isinstance(entry.get("id"), str) or not entry["id"]:
        raise EditionsError(f"{where} has no 'id'; give it a citation key", path, line)
    where = f"entry '{entry['id']}'"
    if entry.get("type") not in CSL_TYPES:
        raise EditionsError(
            f"{where} has type {entry.get('type')!r}, which is not a CSL type "
            "(e.g. report, document, webpage, book)",
            path,
            line,
        )
    if not isinstance(entry.get("title"), str) or not entry["title"].strip():
        raise EditionsError(f"{where} needs a 'title'", path, line)
    for field in NAME_FIELDS:
        if field in entry:
            names = entry[field]
            valid = isinstance(names, list) and all(
                isinstance(n, dict) and any(k in n for k in ("family", "literal")) for n in names
            )
            if not valid:
                raise EditionsError(
                    f"{where}: '{field}' must be a list of names like "
                    '{"family": "...", "given": "..."} or {"literal": "..."}',
                    path,
                    line,
                )
    for field in ("issued", "accessed"):
        if field in entry and not _is_csl_date(entry[field]):
            raise EditionsError(
                f"{where}: '{field}' must look like {{\"date-parts\": [[2024, 4, 30]]}}", path, line
            )
    url = entry.get("URL")
    if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        raise EditionsError(f"{where}: 'URL' must be a web address", path, line)


def _is_csl_date(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    if "literal" in value or "raw" in value:
        return True
    parts = value.get("date-parts")
    return (
        isinstance(parts, list)
        and len(parts) >= 1
        and all(
            isinstance(p, list) and 1 <= len(p) <= 3 and all(isinstance(x, (int, str)) for x in p)
            for p in parts
        )
    )


def citation_places(master_text: str) -> dict[str, list[tuple[int, int]]]:
    """Where each citation key is written in the master: key -> [(line, column)]."""
    places: dict[str, list[tuple[int, int]]] = {}
    for number, line in enumerate(master_text.splitlines(), start=1):
        for match in CITE_KEY.finditer(line):
            key = match.group(1).rstrip(".:;,?")
            places.setdefault(key, []).append((number, match.start() + 1))
    return places
