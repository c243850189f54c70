"""The languages of a publication: its master's, and one per translation beside it.

A translation is a file `master.LANG.md` beside `master.md`, LANG a BCP 47 language tag
(RFC 5646) written in its canonical case: `fr`, `ru`, `zh-Hans`, `pt-BR`, `sr-Latn`. The tag
names its editions (build/SLUG/SLUG.LANG.pdf) and its make targets, so it is checked here,
with the standard library only: `python -m editions.model.slugs` lists the translations for
the Makefile before the venv exists.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from editions.errors import EditionsError

# A translation's file name, whatever follows the dot: an ill-formed tag is refused, not
# skipped (the build would otherwise publish without it).
TRANSLATION_FILE = re.compile(r"master\.(?P<tag>[^/]+)\.md")
# RFC 5646's langtag, without the grandfathered and private-use-only forms: a language (2-3
# letters, with up to three extended subtags, or 4-8 letters), a script (4 letters), a region
# (2 letters or 3 digits), variants, extensions and a private use part.
LANGTAG = r"""
    (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})
    (?:-(?P<script>[a-z]{4}))?
    (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
    (?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)
    (?P<extensions>(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*)
    (?P<private>-x(?:-[a-z0-9]{1,8})+)?
"""
# What a language calls itself: the language switcher's words. A language not listed is
# shown by its tag.
AUTONYMS = {
    "ar": "العربية",
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "ja": "日本語",
    "ko": "한국어",
    "nl": "Nederlands",
    "pt": "Português",
    "ru": "Русский",
    "uk": "Українська",
    "zh": "中文",
    "zh-Hans": "简体中文",
    "zh-Hant": "繁體中文",
}


def canonical(tag: str) -> str | None:
    """tag in its canonical case (language lower, script title, region upper), or None if it
    is not a well-formed BCP 47 tag."""
    match = _langtag().fullmatch(tag)
    if match is None:
        return None
    parts = [match["language"].lower()]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    rest = (match["variants"] or "") + (match["extensions"] or "") + (match["private"] or "")
    return "-".join(parts) + rest.lower()


@functools.cache
def _langtag() -> re.Pattern[str]:
    # Compiled on first use: make asks for the slugs on every run, most with no translation.
    return re.compile(LANGTAG, re.X | re.I)


def is_translation(name: str) -> bool:
    """Whether a file name is a translation's, well-formed or not (master.LANG.md)."""
    return TRANSLATION_FILE.fullmatch(name) is not None


def translation_tag(path: Path) -> str:
    """The tag of a translation's file, checked: well-formed and in its canonical case."""
    match = TRANSLATION_FILE.fullmatch(path.name)
    assert match is not None, path
    tag = match["tag"]
    written = canonical(tag)
    if written is None:
        raise EditionsError(
            f"'{tag}' is not a language tag (BCP 47, such as fr, ru, zh-Hans or pt-BR): a "
            "translation is named master.LANG.md; rename the file",
            path,
        )
    if written != tag:
        raise EditionsError(
            f"write the language tag '{tag}' as '{written}': it names the translation's "
            f"editions; rename the file to master.{written}.md",
            path,
        )
    return tag


def translation_tags(folder: Path) -> list[str]:
    """The tags of the translations in a publication folder, sorted, each checked."""
    files = sorted(
        path for path in folder.iterdir() if path.is_file() and is_translation(path.name)
    )
    return [translation_tag(path) for path in files]


def translation_file(tag: str) -> str:
    return f"master.{tag}.md"


def same_language(one: str, other: str) -> bool:
    """Whether two tags are the same (BCP 47 tags are compared without case)."""
    return one.casefold() == other.casefold()


def lookup(tag: str, available: dict[str, str]) -> str | None:
    """The value for tag in available, else for the tag shortened a subtag at a time (RFC
    4647's lookup: zh-Hans-CN, zh-Hans, zh)."""
    folded = {key.casefold(): value for key, value in available.items()}
    parts = tag.split("-")
    while parts:
        found = folded.get("-".join(parts).casefold())
        if found is not None:
            return found
        parts.pop()
        if parts and len(parts[-1]) == 1:  # never end on an extension's singleton
            parts.pop()
    return None


def autonym(tag: str) -> str:
    """What the language calls itself, for the language switcher; its tag when not known."""
    return lookup(tag, AUTONYMS) or tag
