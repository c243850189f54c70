"""A redline: the current version of a publication with what changed since an earlier one.

Both versions are read by the same publication model; the redline is the current
publication whose AST carries the changes (see changes.py) and whose `redline` says what
they amount to, for the summary every redline edition starts with.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from editions.adapters.pandoc_ast import Node, attr, plain_text, text_inlines, walk
from editions.model import names
from editions.model.changes import (
    DELETION,
    INSERTION,
    Revision,
    mark_blocks,
    marked,
)
from editions.model.content import ContentsEntry
from editions.model.publication import Publication
from editions.model.words import Words

SUMMARY_DIV = "changes"
SUMMARY_HEADING = "changes-heading"
# The title block's fields a redline compares, as the summary names them.
TITLE_FIELDS = (
    ("title", "title"),
    ("subtitle", "subtitle"),
    ("version", "version"),
    ("display_date", "date"),
)


@dataclass(frozen=True)
class Redline:
    """What changed since the earlier version, counted."""

    since: str  # the revision as the user named it: a tag, a commit, a folder
    earlier_version: str
    earlier_day: dt.date
    inserted: int  # words
    deleted: int
    questions: tuple[ContentsEntry, ...]  # the current version's headings with changes
    endorsers_added: tuple[str, ...]
    endorsers_removed: tuple[str, ...]
    endorsers_reordered: bool
    references_added: tuple[str, ...]  # titles (or keys, for an untitled entry)
    references_removed: tuple[str, ...]
    title_block: tuple[tuple[str, str, str], ...]  # (field, earlier, current) changed
    words: Words  # the current version's language's
    revision: Revision  # who and when, for marks the editions add themselves

    @property
    def unchanged(self) -> bool:
        return not (self.inserted or self.deleted or self.title_block)

    @property
    def heading(self) -> str:
        """'Changes since version 1.0 (20 January 2025)', in the publication's language."""
        return self.heading_in(self.words)

    def heading_in(self, words: Words) -> str:
        earlier = (
            words.say("earlier-version", version=self.earlier_version)
            if self.earlier_version
            else self.since
        )
        return words.say("changes-since", earlier=earlier, date=words.date(self.earlier_day))

    def earlier(self, field: str) -> str | None:
        """What the title block's field ('title', 'version', ...) said, if it changed."""
        return next((before for name, before, _ in self.title_block if name == field), None)

    def summary_line(self) -> str:
        """One line for the terminal: counts, questions, endorsers."""
        if self.unchanged:
            return "no changes"
        parts = [f"{_words(self.inserted)} inserted, {self.deleted} deleted"]
        if self.questions:
            parts.append("questions " + ", ".join(_label(q) for q in self.questions))
        if self.endorsers_added or self.endorsers_removed:
            parts.append(f"endorsers +{len(self.endorsers_added)} -{len(self.endorsers_removed)}")
        elif self.endorsers_reordered:
            parts.append("endorsers reordered")
        if self.references_added or self.references_removed:
            parts.append(
                f"references +{len(self.references_added)} -{len(self.references_removed)}"
            )
        parts += [
            f"{field.capitalize()} changed"
            for field, _, _ in self.title_block
            if field != "endorsed-by"  # said by the endorsers' counts above
        ]
        return "; ".join(parts)


def redline(
    earlier: Publication, current: Publication, since: str, author: str = ""
) -> Publication:
    """current with every change since earlier marked, and the summary first."""
    revision = Revision(
        author=author or current.metadata.author,
        date=current.build_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    old, new = earlier.ast(), current.ast()
    blocks = mark_blocks(old["blocks"], new["blocks"], revision)
    title_block = _title_block_changes(earlier, current)
    words = current.metadata.words
    if len(earlier.endorsers) != len(current.endorsers):
        title_block += (
            (
                "endorsed-by",
                words.count("organisations", len(earlier.endorsers)),
                words.count("organisations", len(current.endorsers)),
            ),
        )
    _mark_title_block(new["meta"], old["meta"], title_block, revision)
    inserted, deleted = _counts(blocks)
    summary = Redline(
        since=since,
        earlier_version=earlier.metadata.version,
        earlier_day=earlier.metadata.date,
        inserted=inserted,
        deleted=deleted,
        questions=_changed_headings(blocks, current.contents),
        endorsers_added=_missing(current.endorsers, earlier.endorsers),
        endorsers_removed=_missing(earlier.endorsers, current.endorsers),
        endorsers_reordered=_reordered(earlier.endorsers, current.endorsers),
        references_added=_new_keys(current.references, earlier.references),
        references_removed=_new_keys(earlier.references, current.references),
        title_block=title_block,
        words=current.metadata.words,
        revision=revision,
    )
    new["blocks"] = [summary_block(summary), *blocks]
    return dataclasses.replace(
        current,
        ast_json=json.dumps(new, ensure_ascii=False, sort_keys=True),
        redline=summary,
    )


def summary_block(summary: Redline) -> Node:
    """The summary as the editions print it, in the publication's language: a heading line
    and a list."""
    words = summary.words
    items: list[list[Node]] = []
    if summary.unchanged:
        items.append(text_inlines(words["no-changes"]))
    else:
        inserted = words.count("words", summary.inserted)
        deleted = words.count("words", summary.deleted)
        items.append(text_inlines(words.say("words-changed", inserted=inserted, deleted=deleted)))
    if summary.questions:
        links: list[Node] = []
        for entry in summary.questions:
            if links:
                links += [{"t": "Str", "c": ","}, {"t": "Space"}]
            links.append(
                {
                    "t": "Link",
                    "c": [
                        attr(),
                        text_inlines(_label(entry)),
                        [f"#{entry.identifier}", entry.title],
                    ],
                }
            )
        items.append([*text_inlines(words["changed"]), {"t": "Space"}, *links])
    if summary.endorsers_added:
        items.append(_named(words, "endorsers-added", summary.endorsers_added))
    if summary.endorsers_removed:
        items.append(_named(words, "endorsers-removed", summary.endorsers_removed))
    if summary.endorsers_reordered and not (summary.endorsers_added or summary.endorsers_removed):
        items.append(text_inlines(words["endorsers-reordered"]))
    if summary.references_added:
        items.append(_named(words, "references-added", summary.references_added))
    if summary.references_removed:
        items.append(_named(words, "references-removed", summary.references_removed))
    for field, before, after in summary.title_block:
        said = words.say(
            "field-changed",
            field=words[field],
            before=before or words["none"],
            after=after or words["none"],
        )
        items.append(text_inlines(said))
    return {
        "t": "Div",
        "c": [
            attr(SUMMARY_DIV, ["changes-summary"]),
            [
                {
                    "t": "Div",
                    "c": [
                        attr(classes=[SUMMARY_HEADING]),
                        [{"t": "Para", "c": text_inlines(summary.heading)}],
                    ],
                },
                {"t": "BulletList", "c": [[{"t": "Plain", "c": item}] for item in items]},
            ],
        ],
    }


def _named(words: Words, key: str, values: tuple[str, ...]) -> list[Node]:
    separator = words["list-separator"]
    return text_inlines(words.say(key, count=len(values), names=separator.join(values)))


def _words(count: int) -> str:
    return f"{count} word" + ("" if count == 1 else "s")


def _label(entry: ContentsEntry) -> str:
    number = entry.number.rstrip(".")
    return f"Q{number}" if number else entry.title


def _counts(blocks: list[Node]) -> tuple[int, int]:
    """Words inserted and deleted: the words of every insertion and deletion span."""
    counts = {INSERTION: 0, DELETION: 0}
    for node in walk(blocks):
        if node["t"] == "Span" and (kind := _change_kind(node)):
            counts[kind] += len(plain_text(node["c"][1]).split())
    return counts[INSERTION], counts[DELETION]


def _changed_headings(
    blocks: list[Node], contents: tuple[ContentsEntry, ...]
) -> tuple[ContentsEntry, ...]:
    """The current version's headings (its contents) under which something changed; a
    change before the first heading, or under a deleted one, belongs to the one before."""
    by_identifier = {entry.identifier: entry for entry in contents}
    changed: list[ContentsEntry] = []
    current: ContentsEntry | None = None
    for node in walk(blocks):
        if node["t"] == "Header" and node["c"][1][0] in by_identifier:
            current = by_identifier[node["c"][1][0]]
        elif node["t"] == "Span" and _change_kind(node) and current and current not in changed:
            changed.append(current)
    return tuple(changed)


def _change_kind(node: Node) -> str | None:
    classes = node["c"][0][1]
    return INSERTION if INSERTION in classes else DELETION if DELETION in classes else None


def _title_block_changes(
    earlier: Publication, current: Publication
) -> tuple[tuple[str, str, str], ...]:
    changes = []
    for field, label in TITLE_FIELDS:
        before, after = getattr(earlier.metadata, field), getattr(current.metadata, field)
        if " ".join(before.split()) != " ".join(after.split()):
            changes.append((label, before, after))
    return tuple(changes)


def _mark_title_block(
    meta: dict[str, Any],
    earlier_meta: dict[str, Any],
    changes: tuple[tuple[str, str, str], ...],
    revision: Revision,
) -> None:
    """The title, subtitle and date that changed, as pandoc's writers show them: the
    earlier words deleted, the current inserted."""
    keys = {"title": "title", "subtitle": "subtitle", "date": "date"}
    for label, _, _ in changes:
        if (key := keys.get(label)) is None:
            continue
        before = _meta_inlines(earlier_meta.get(key))
        after = _meta_inlines(meta.get(key))
        # No space between the two: each side reads as its version's, accepted or rejected.
        inlines = marked(before, DELETION, revision) + marked(after, INSERTION, revision)
        meta[key] = {"t": "MetaInlines", "c": inlines}


def _meta_inlines(value: Any) -> list[Node]:
    if not value:
        return []
    if value["t"] == "MetaInlines":
        return value["c"]
    if value["t"] == "MetaString":
        return text_inlines(value["c"])
    return []


def _missing(these: tuple[Any, ...], others: tuple[Any, ...]) -> tuple[str, ...]:
    """The names of these endorsers that others lack, in these' order."""
    known = {names.key(e.name) or e.name for e in others}
    return tuple(e.name for e in these if (names.key(e.name) or e.name) not in known)


def _reordered(earlier: tuple[Any, ...], current: tuple[Any, ...]) -> bool:
    """Whether the endorsers both versions list stand in another order."""
    before = [names.key(e.name) or e.name for e in earlier]
    after = [names.key(e.name) or e.name for e in current]
    return [k for k in before if k in after] != [k for k in after if k in before]


def _new_keys(
    these: tuple[dict[str, Any], ...], others: tuple[dict[str, Any], ...]
) -> tuple[str, ...]:
    known = {entry["id"] for entry in others}
    return tuple(
        str(entry.get("title") or entry["id"]) for entry in these if entry["id"] not in known
    )
