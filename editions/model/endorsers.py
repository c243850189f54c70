"""The endorser list: who signs the publication, in the order they are printed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from editions.adapters.sourcefile import decode_text, read_source
from editions.adapters.yamlfile import Located, LocatedList, load_yaml
from editions.errors import EditionsError
from editions.model import names
from editions.model.languages import canonical, lookup
from editions.model.limits import MAX_DATA_BYTES

FIELDS = ("name", "short-name", "country", "kind", "website")
# The name as a translation prints it, by language tag: 'names: {fr: "...", ru: "..."}'.
NAMES = "names"
KINDS = (
    "registry",
    "registrar",
    "regional-registry-group",
    "internet-registry",
    "registry-service-provider",
    "other",
)
WEBSITE = re.compile(r"https?://[^\s/$.?#][^\s]*")
# Characters that show nothing (or reorder what follows) beyond Unicode's format characters
# (Cf: zero-width spaces and joiners, bidi controls, soft hyphen): a name holding one could
# pass for another, or print reversed.
INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0")


@dataclass(frozen=True)
class Endorser:
    name: str
    short_name: str = ""
    country: str = ""
    kind: str = ""
    website: str = ""
    # (language tag, name) for each translation that prints the name otherwise.
    names: tuple[tuple[str, str], ...] = ()

    def name_in(self, lang: str) -> str:
        """The name as printed in language lang: its translated name for that language (or
        for the language lang narrows, 'fr' for 'fr-CA'), else the name as written."""
        return lookup(lang, dict(self.names)) or self.name


def in_language(endorsers: tuple[Endorser, ...], lang: str, path: Path) -> tuple[Endorser, ...]:
    """The endorsers as printed in language lang, each under its name in it; two that would
    print the same name are refused, as in the file itself."""
    printed: list[Endorser] = []
    seen: dict[str, str] = {}
    for endorser in endorsers:
        name = endorser.name_in(lang)
        key = names.key(name) or name
        if key in seen:
            raise EditionsError(
                f"'{endorser.name}' and '{seen[key]}' would both be printed as '{name}' in "
                f"'{lang}'; give one of them another name in 'names:'",
                path,
            )
        seen[key] = endorser.name
        printed.append(replace(endorser, name=name))
    return tuple(printed)


def load_endorsers(path: Path) -> tuple[Endorser, ...]:
    data = load_yaml(decode_text(read_source(path, path.parent, MAX_DATA_BYTES), path), path)
    if data is None:
        return ()
    if not isinstance(data, LocatedList):
        raise EditionsError("must be a list of endorsers, each starting with '- name:'", path, 1)
    endorsers: list[Endorser] = []
    first_seen: dict[str, int] = {}
    for entry, line in zip(data, data.item_lines, strict=True):
        endorser = _endorser(entry, path, line)
        # The key the sign-on import compares with: an import never adds what this refuses.
        key = names.key(endorser.name) or endorser.name
        if key in first_seen:
            raise EditionsError(
                f"duplicate endorser '{endorser.name}' (already on line {first_seen[key]}); "
                "remove one",
                path,
                line,
            )
        first_seen[key] = line
        endorsers.append(endorser)
    return tuple(endorsers)


def _text(value: str, key: str, path: Path, line: int) -> str:
    """value in NFC, spacing collapsed; refused if it holds an invisible character."""
    for character in value:
        if unicodedata.category(character) == "Cf" or character in INVISIBLE:
            name = unicodedata.name(character, "unnamed")
            raise EditionsError(
                f"endorser field '{key}' holds the invisible character U+{ord(character):04X} "
                f"({name}), which could make a name look like another or print reversed; "
                "retype the name without it",
                path,
                line,
            )
    return " ".join(unicodedata.normalize("NFC", value).split())


def _endorser(entry: object, path: Path, line: int) -> Endorser:
    if isinstance(entry, str):
        entry_map = Located(name=entry)
        entry_map.key_lines = {"name": line}
        entry = entry_map
    if not isinstance(entry, Located):
        raise EditionsError("an endorser must be given as '- name: ...'", path, line)
    for key in entry:
        if key not in (*FIELDS, NAMES):
            raise EditionsError(
                f"unknown endorser field '{key}'; known fields: {', '.join((*FIELDS, NAMES))}",
                path,
                entry.key_lines.get(str(key), line),
            )
    values: dict[str, str] = {}
    for key in FIELDS:
        value = entry.get(key)
        if value is not None and not isinstance(value, (str, int, float)):
            raise EditionsError(
                f"endorser field '{key}' must be plain text", path, entry.key_lines.get(key, line)
            )
        values[key] = (
            _text(str(value), key, path, entry.key_lines.get(key, line))
            if value is not None
            else ""
        )
    if not values["name"]:
        raise EditionsError("an endorser has no name; add 'name: ...'", path, line)
    if values["kind"] and values["kind"] not in KINDS:
        raise EditionsError(
            f"unknown kind '{values['kind']}'; use one of {', '.join(KINDS)}",
            path,
            entry.key_lines.get("kind", line),
        )
    if values["website"] and not WEBSITE.fullmatch(values["website"]):
        raise EditionsError(
            f"website '{values['website']}' is not a web address starting with https://",
            path,
            entry.key_lines.get("website", line),
        )
    return Endorser(
        name=values["name"],
        short_name=values["short-name"],
        country=values["country"],
        kind=values["kind"],
        website=values["website"],
        names=_translated_names(entry, path, line),
    )


def _translated_names(entry: Located, path: Path, line: int) -> tuple[tuple[str, str], ...]:
    """'names: {fr: "...", ru: "..."}': each key a language tag, each value a name."""
    value = entry.get(NAMES)
    if value is None:
        return ()
    where = entry.key_lines.get(NAMES, line)
    if not isinstance(value, Located) or not value:
        raise EditionsError(
            "endorser field 'names' must give a name per language, such as "
            "'names: {fr: \"Registre exemple\"}'",
            path,
            where,
        )
    translated: list[tuple[str, str]] = []
    for tag, name in value.items():
        at = value.key_lines.get(str(tag), where)
        written = canonical(str(tag))
        if written is None or written != str(tag):
            instead = f"write it '{written}'" if written else "such as fr, ru or zh-Hans"
            raise EditionsError(
                f"'{tag}' in 'names' is not a language tag as translations are named ({instead})",
                path,
                at,
            )
        if not isinstance(name, (str, int, float)) or not str(name).strip():
            raise EditionsError(
                f"the name in '{tag}' must be plain text, the name as printed in it", path, at
            )
        translated.append((written, _text(str(name), f"names: {tag}", path, at)))
    return tuple(translated)
