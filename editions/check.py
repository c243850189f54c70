"""`editions check`: the words of each answer against the limits, and the warnings."""

from __future__ import annotations

import sys
from pathlib import Path

from editions.model.consistency import (
    Finding,
    broken_links,
    prose_lines,
    spelling_mix,
    term_variants,
    uncited_references,
)
from editions.model.publication import REFERENCES, Publication
from editions.model.translations import drift, load_languages
from editions.model.wordcount import exceeded


def check(source: Path, slugs: list[str], strict: bool) -> int:
    """Print each publication's table, errors and warnings, in each of its languages (a
    translation's warnings include where it drifted from the master); 1 when a limit is
    exceeded (or, strict, on any warning)."""
    failed = False
    for slug in slugs:
        languages = load_languages(source / slug, check_limits=False)
        drifted = drift(languages)
        masters = {publication.master for publication in languages}
        for publication in languages:
            # Each finding with its language's file; those of endorsers.yaml with the master.
            own = [
                finding
                for finding in drifted
                if finding.path == publication.master
                or (not publication.translation and finding.path not in masters)
            ]
            failed = _check_one(publication, own, strict) or failed
    return 1 if failed else 0


def _check_one(publication: Publication, drifted: list[Finding], strict: bool) -> bool:
    """Print one language's table, errors and warnings; whether it fails the check."""
    text = publication.master_text
    print(table(publication), flush=True)
    errors = exceeded(publication.answers, publication.metadata.limits, publication.master, text)
    for error in errors:
        print(f"error: {error}", file=sys.stderr, flush=True)
    found = warnings(publication, text) + drifted
    for finding in found:
        print(f"{'error' if strict else 'warning'}: {finding}", file=sys.stderr, flush=True)
    print(
        f"{publication.edition_name}: {len(errors)} limit"
        f"{'' if len(errors) == 1 else 's'} exceeded, "
        f"{len(found)} warning{'' if len(found) == 1 else 's'}\n",
        flush=True,
    )
    return bool(errors) or (strict and bool(found))


def table(publication: Publication) -> str:
    limits = publication.metadata.limits
    rows = [
        (answer.number.rstrip(".") or "-", answer.title, str(answer.words), _limit(answer.limit))
        for answer in publication.answers
    ]
    rows.append(("", "all answers", str(publication.words), _limit(limits.words)))
    title_width = min(60, max(len(row[1]) for row in rows))
    lines = [f"{publication.slug}: {publication.master}"]
    lines.append(f"{'#':>3}  {'answer':<{title_width}}  {'words':>6}  {'limit':>6}")
    for number, title, words, limit in rows:
        short = title if len(title) <= title_width else title[: title_width - 1] + "…"
        lines.append(f"{number:>3}  {short:<{title_width}}  {words:>6}  {limit:>6}")
    return "\n".join(lines)


def warnings(publication: Publication, text: str) -> list[Finding]:
    master = publication.master
    blocks = publication.ast()["blocks"]
    lines = prose_lines(text)
    return [
        *term_variants(lines, master),
        *spelling_mix(lines, publication.metadata.lang, master),
        *uncited_references(
            blocks,
            publication.references,
            publication.folder / REFERENCES,
            publication.references_text,
        ),
        *broken_links(blocks, text, master),
    ]


def _limit(value: int | None) -> str:
    return str(value) if value is not None else "-"
