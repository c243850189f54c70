"""A publication in several languages: its master and the translations beside it.

Each language is read and parsed on its own (load_publication with its tag), with the same
endorsers and references; once all are read, linked() tells each of the others, so that its
editions can link to theirs, and drift() says where a translation's structure has drifted
from the master's: the questions it has, the ids they carry, the sources it cites.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from editions.adapters.pandoc_ast import walk
from editions.errors import EditionsError
from editions.model.bibliography import citation_places
from editions.model.consistency import Finding
from editions.model.folder import ENDORSERS
from editions.model.languages import autonym, lookup, same_language, translation_tags
from editions.model.publication import Publication, load_publication
from editions.model.wordcount import heading_lines


@dataclass(frozen=True)
class Language:
    """One language of a publication, as its other editions link to it."""

    tag: str  # its BCP 47 tag (hreflang)
    name: str  # what the language calls itself (the switcher's words)
    edition_name: str  # what names its editions: SLUG, or SLUG.LANG for a translation
    direction: str = "ltr"  # its writing direction: 'ltr' or 'rtl'


def load_languages(
    folder: Path, check_limits: bool = True, status: str | None = None
) -> tuple[Publication, ...]:
    """The publication in every language, the master first, linked."""
    master = load_publication(folder, check_limits, status)
    translations = [
        load_publication(folder, check_limits, status, tag) for tag in translation_tags(folder)
    ]
    return linked([master, *translations])


def linked(publications: Sequence[Publication]) -> tuple[Publication, ...]:
    """Each language's publication (the master first) told of every language; a translation
    into the master's own language is an error."""
    master, *translations = publications
    if not translations:
        return tuple(publications)
    for translation in translations:
        if same_language(translation.translation, master.metadata.lang):
            raise EditionsError(
                f"a translation into '{translation.translation}', the language of "
                f"{master.master.name} itself (lang: {master.metadata.lang}); name it after the "
                "language it is written in, or remove it",
                translation.master,
            )
    languages = tuple(
        Language(p.metadata.lang, autonym(p.metadata.lang), p.edition_name, p.metadata.direction)
        for p in publications
    )
    return tuple(replace(p, languages=languages) for p in publications)


def drift(publications: Sequence[Publication]) -> list[Finding]:
    """Where each translation's structure differs from the master's: the number of questions,
    a question's id on one side only, a citation key cited on one side only; and the names
    of endorsers.yaml given in a language the publication is not in."""
    master, *translations = publications
    found: list[Finding] = []
    for translation in translations:
        found += _questions(master, translation)
        found += _citations(master, translation)
        if translation.metadata.identifier == master.metadata.identifier:
            found.append(
                Finding(
                    translation.master,
                    None,
                    f"the same identifier as {master.master.name}: a translation is a "
                    "publication of its own (its EPUB and PDF are identified by it); give it "
                    "its own",
                )
            )
    found += _unused_names(publications)
    return found


def _unused_names(publications: Sequence[Publication]) -> list[Finding]:
    """A translated endorser name in a language no master is in: a typo, or a translation
    not written yet."""
    master = publications[0]
    langs = [p.metadata.lang for p in publications]
    found = []
    for endorser in master.endorsers:
        for tag, _ in endorser.names:
            if not any(lookup(lang, {tag: tag}) for lang in langs):
                found.append(
                    Finding(
                        master.folder / ENDORSERS,
                        None,
                        f"'{endorser.name}' has a name in '{tag}', but the publication is "
                        f"not in '{tag}' (no master.{tag}.md); fix the tag or remove the name",
                    )
                )
    return found


def _questions(master: Publication, translation: Publication) -> list[Finding]:
    here, there = translation.master, master.master.name
    found = []
    if len(translation.answers) != len(master.answers):
        found.append(
            Finding(
                here,
                None,
                f"{_count(len(translation.answers), 'question')}, where {there} has "
                f"{len(master.answers)}: the translation has drifted from the master",
            )
        )
    master_ids, master_lines = _question_ids(master)
    ids, lines = _question_ids(translation)
    for identifier in master_ids:
        if identifier not in ids:
            found.append(
                Finding(
                    here,
                    None,
                    f"no question with the id '{identifier}', which {there} has (line "
                    f"{master_lines[identifier]}); give its translation {{#{identifier}}}",
                )
            )
    for identifier in ids:
        if identifier not in master_ids:
            found.append(
                Finding(
                    here,
                    lines[identifier],
                    f"a question with the id '{identifier}', which {there} does not have",
                )
            )
    return found


def _question_ids(publication: Publication) -> tuple[list[str], dict[str, int]]:
    """The ids written on the questions' headings ({#q1}), in order, and their lines; the ids
    pandoc makes up from a heading's words differ from one language to the next."""
    lines = heading_lines(publication.master_text)
    ids = [a.identifier for a in publication.answers if a.identifier in lines]
    return ids, lines


def _citations(master: Publication, translation: Publication) -> list[Finding]:
    here, there = translation.master, master.master.name
    master_keys, keys = _cited(master), _cited(translation)
    master_places = citation_places(master.master_text)
    places = citation_places(translation.master_text)
    found = []
    for key in master_keys:
        if key not in keys:
            line = master_places.get(key, [(None, None)])[0][0]
            where = f" (line {line})" if line else ""
            found.append(Finding(here, None, f"does not cite @{key}, which {there} cites{where}"))
    for key in keys:
        if key not in master_keys:
            line = places.get(key, [(None, None)])[0][0]
            found.append(Finding(here, line, f"cites @{key}, which {there} does not cite"))
    return found


def _cited(publication: Publication) -> list[str]:
    keys: list[str] = []
    for node in walk(publication.ast()["blocks"]):
        if node["t"] == "Cite":
            for citation in node["c"][0]:
                if citation["citationId"] not in keys:
                    keys.append(citation["citationId"])
    return keys


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
