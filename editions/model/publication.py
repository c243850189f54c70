"""A publication: one folder under source/, read and parsed once into immutable data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editions.adapters.pandoc import run_pandoc
from editions.adapters.pandoc_ast import Node, find_div, text_inlines, walk
from editions.adapters.sourcefile import decode_text, read_source
from editions.errors import CombinedError, EditionsError
from editions.model.bibliography import citation_places, load_references
from editions.model.builddate import build_datetime
from editions.model.content import (
    ENDORSERS_DIV,
    ContentsEntry,
    insert_endorsers,
    mark_questions,
    table_of_contents,
)
from editions.model.directions import keep_directions
from editions.model.endorsers import Endorser, in_language, load_endorsers
from editions.model.folder import (
    ENDORSERS,
    MASTER,
    REFERENCES,
    check_folder,
    check_not_publication,
)
from editions.model.languages import translation_file
from editions.model.limits import MAX_MASTER_BYTES
from editions.model.metadata import (
    FRONT_MATTER,
    Metadata,
    parse_metadata,
    refuse_later_blocks,
    with_status,
)
from editions.model.punctuation import localise_punctuation, typeset_titles
from editions.model.safety import check_document
from editions.model.slugs import find_slugs
from editions.model.structure import (
    check_headings_have_words,
    check_identifiers,
    check_nesting,
    check_text_nesting,
)
from editions.model.theme import Theme, load_theme
from editions.model.wordcount import Answer, count_answers, exceeded

if TYPE_CHECKING:
    from editions.model.redline import Redline
    from editions.model.translations import Language


@dataclass(frozen=True)
class Publication:
    slug: str
    folder: Path
    metadata: Metadata
    endorsers: tuple[Endorser, ...]
    references: tuple[dict[str, Any], ...]
    ast_json: str
    contents: tuple[ContentsEntry, ...]
    build_date: dt.datetime
    theme: Theme  # the look every edition is set in (theme.yaml)
    answers: tuple[Answer, ...] = ()
    # The master's and the references' text as read and checked, once: what a report that
    # points at lines (editions check) reads, rather than the files again.
    master_text: str = ""
    references_text: str = ""
    # Set on a redline only: what changed since an earlier version (see redline.py).
    redline: Redline | None = None
    # The language tag of a translation (read from master.LANG.md); '' for the master.
    translation: str = ""
    # Every language the publication is in, the master's first, once all are read (see
    # translations.py); () when it has no translation.
    languages: tuple[Language, ...] = ()

    @property
    def words(self) -> int:
        """The words of the answers, as counted against the limits."""
        return sum(answer.words for answer in self.answers)

    @property
    def master(self) -> Path:
        """The file its text is read from: master.md, or a translation's master.LANG.md."""
        return self.folder / (translation_file(self.translation) if self.translation else MASTER)

    @property
    def edition_name(self) -> str:
        """What names its editions: the slug, or SLUG.LANG for a translation."""
        return f"{self.slug}.{self.translation}" if self.translation else self.slug

    def ast(self) -> dict[str, Any]:
        """A fresh copy of the document AST (pandoc JSON) for a renderer to transform."""
        return json.loads(self.ast_json)


def find_publications(source: Path) -> list[str]:
    """The slugs of every publication folder (a folder holding a master.md), sorted; a folder
    whose name is not a safe slug is an error (see slugs.py)."""
    if not source.is_dir():
        raise EditionsError("the source folder does not exist", source)
    for folder in sorted(p for p in source.iterdir() if p.is_dir() and not (p / MASTER).exists()):
        check_not_publication(folder)
    return find_slugs(source)


def load_publication(
    folder: Path, check_limits: bool = True, status: str | None = None, translation: str = ""
) -> Publication:
    """Read each of the folder's files once, check everything, parse the master with pandoc.

    Pandoc is handed the checked text on stdin, with the validated metadata and references
    as files of a private scratch folder: it never opens a file of the publication. An
    exceeded word limit is an error unless check_limits is False (`editions check` reports
    it with its table). status, if given, overrides the master's (--status). translation,
    if given, is the language tag of the translation to read (master.LANG.md) instead of the
    master; the endorsers and references are the master's."""
    if folder.is_symlink():
        raise EditionsError(
            "the publication folder is a symbolic link; move or copy the folder itself into "
            "the source folder",
            folder,
        )
    check_folder(folder)
    theme = load_theme(folder)
    master = folder / (translation_file(translation) if translation else MASTER)
    text = decode_text(read_source(master, folder, MAX_MASTER_BYTES), master)
    metadata, fields = parse_metadata(text, master, translation or None)
    theme = dataclasses.replace(theme, lang=metadata.lang)
    metadata = with_status(metadata, status)
    body = _body(text, master)
    refuse_later_blocks(text, master)
    depths = check_text_nesting(text, master)
    endorsers = load_endorsers(folder / ENDORSERS) if _present(folder / ENDORSERS) else ()
    endorsers = in_language(endorsers, metadata.lang, folder / ENDORSERS)
    references, references_text = (
        load_references(folder / REFERENCES) if _present(folder / REFERENCES) else ((), "")
    )
    document = _parse_body(body, fields, references_text, master, depths)
    check_nesting(document["blocks"], master, depths)
    check_document(document, folder, master, text)
    check_identifiers(document["blocks"], text, master)
    check_headings_have_words(document["blocks"], text, master)
    _check_citations(document["blocks"], references, text, master)
    _check_endorser_list(document["blocks"], folder, endorsers, text, master)
    insert_endorsers(
        document["blocks"],
        endorsers,
        master,
        metadata.endorsers_heading,
        metadata.endorser_details,
    )
    keep_directions(document["blocks"], metadata.direction)
    mark_questions(document["blocks"])
    answers = count_answers(document["blocks"], metadata.limits, master)
    localise_punctuation(document["blocks"], metadata.words)
    metadata = typeset_titles(document["meta"], metadata)
    if check_limits and (over := exceeded(answers, metadata.limits, master, text)):
        raise CombinedError(over)
    _set_title_block(document["meta"], metadata)
    contents = table_of_contents(document["blocks"])  # marks headings for the PDF's outline
    return Publication(
        slug=folder.name,
        folder=folder,
        metadata=metadata,
        endorsers=endorsers,
        references=references,
        ast_json=json.dumps(document, ensure_ascii=False, sort_keys=True),
        contents=contents,
        build_date=build_datetime(metadata.date),
        answers=answers,
        theme=theme,
        master_text=text,
        references_text=references_text,
        translation=translation,
    )


def _present(path: Path) -> bool:
    # A dangling link is present too: read_source says what is wrong with it.
    return os.path.lexists(path)


def _body(text: str, master: Path) -> str:
    """The master after its metadata block: the text pandoc parses."""
    match = FRONT_MATTER.match(text)
    body = text[match.end() :] if match else text
    if not body.strip():
        line = text[: match.end()].count("\n") + 1 if match else 1
        raise EditionsError("the master has no text after its metadata block", master, line)
    return body


def _parse_body(
    body: str, fields: dict[str, Any], references: str, master: Path, depths: list[int]
) -> dict[str, Any]:
    """The one pandoc parse of the master, with citations resolved by citeproc."""
    with tempfile.TemporaryDirectory(prefix="editions-parse-") as scratch:
        folder = Path(scratch)
        (folder / "metadata.json").write_text(json.dumps(fields), encoding="utf-8")
        args = ["--metadata-file=metadata.json"]
        if references:
            (folder / REFERENCES).write_text(references, encoding="utf-8")
            args += ["--citeproc", f"--bibliography={REFERENCES}"]
        output = run_pandoc(args, stdin=body, defaults=["read"], cwd=folder)
    try:
        return json.loads(output)
    except RecursionError:
        # Inline markup nested thousands deep: the text's blocks were checked already.
        deepest = max(range(len(depths)), key=depths.__getitem__) + 1 if depths else None
        raise EditionsError(
            "the text is nested too deeply (emphasis, links or brackets inside one another); "
            "simplify it",
            master,
            deepest,
        ) from None


def _check_citations(
    blocks: list[Node], references: tuple[dict[str, Any], ...], text: str, master: Path
) -> None:
    known = {entry["id"] for entry in references}
    unknown: list[str] = []
    for node in walk(blocks):
        if node["t"] == "Cite":
            for citation in node["c"][0]:
                if citation["citationId"] not in known and citation["citationId"] not in unknown:
                    unknown.append(citation["citationId"])
    if not unknown:
        return
    places = citation_places(text)
    described = []
    for key in unknown:
        where = ", ".join(f"line {line}:{column}" for line, column in places.get(key, []))
        described.append(f"@{key} ({where})" if where else f"@{key}")
    first = places.get(unknown[0], [(None, None)])[0]
    raise EditionsError(
        f"unknown citation key{'s' if len(unknown) > 1 else ''}: {', '.join(described)}; "
        f"add {'them' if len(unknown) > 1 else 'it'} to {REFERENCES} or fix the spelling",
        master,
        first[0],
        first[1],
    )


def _check_endorser_list(
    blocks: list[Node], folder: Path, endorsers: tuple[Endorser, ...], text: str, master: Path
) -> None:
    """A place for the list is a promise of one: without endorsers the edition would print
    its introduction ('... have endorsed this statement:') over nothing."""
    if endorsers or find_div(blocks, ENDORSERS_DIV) is None:
        return
    found = re.search(r"^:::+ *\{[^}]*#endorsers\b", text, re.M)
    line = text[: found.start()].count("\n") + 1 if found else None
    instead = (
        "or, if no one endorses it, remove the '::: {#endorsers}' block and the words "
        "introducing it"
    )
    if not (folder / ENDORSERS).exists():
        raise EditionsError(
            f"the master has a place for the endorser list but there is no {ENDORSERS} "
            f"beside it; add one (one '- name: ...' line each), {instead}",
            master,
            line,
        )
    raise EditionsError(
        f"lists no endorsers, but {master.name} has a place for them (line {line}); add them "
        f"(one '- name: ...' line each), {instead}",
        folder / ENDORSERS,
        1,
    )


def _set_title_block(meta: dict[str, Any], metadata: Metadata) -> None:
    """Give every writer the same title block: the date as readers see it, the language."""
    meta["date"] = {"t": "MetaInlines", "c": text_inlines(metadata.display_date)}
    meta["lang"] = {"t": "MetaString", "c": metadata.lang}
