"""The files of a publication folder: a near miss of a name the build reads is a typo.

A file named endorsers.yml, Endorsers.yaml or references.bib would otherwise be skipped
without a word, and the edition published without what it holds."""

from __future__ import annotations

import difflib
from pathlib import Path

from editions.errors import EditionsError
from editions.model.languages import is_translation, translation_tag

MASTER = "master.md"
ENDORSERS = "endorsers.yaml"
REFERENCES = "references.json"
THEME = "theme.yaml"
# Each name the build reads, and what it reads from it.
HOLDS = {
    MASTER: "the text (Markdown)",
    ENDORSERS: "the endorser list (YAML)",
    REFERENCES: "the bibliography (CSL JSON)",
    THEME: "the look: colours, faces, logo (YAML)",
}
READ = tuple(HOLDS)
# What a master may embed: an image is never a misnamed data file, whatever its name.
MEDIA = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"})
# difflib's ratio between two names' stems: "endorser" and "endorsers" 0.94, "mastr" and
# "master" 0.91, two edits in "references" 0.8; "notes" and "master" 0.36.
SIMILAR = 0.8


def near_miss(name: str) -> str | None:
    """The name the build reads that name looks like a typo of, if any."""
    folded = name.casefold()
    stem = folded.split(".")[0]
    for known in READ:
        known_stem = known.split(".")[0]
        if folded == known or stem == known_stem:  # case, or another extension
            return known
        if difflib.SequenceMatcher(None, stem, known_stem).ratio() >= SIMILAR:
            return known
    return None


def check_folder(folder: Path) -> None:
    """Refuse a file the build would not read but that looks like one it would."""
    for path in sorted(folder.iterdir()):
        if path.name in READ or _set_aside(path):
            continue
        if is_translation(path.name):
            translation_tag(path)  # a translation (master.LANG.md), its tag well-formed
            continue
        meant = near_miss(path.name)
        if meant is not None:
            raise EditionsError(misnamed(path.name, meant), path)


def check_not_publication(folder: Path) -> None:
    """A folder without a master.md: refuse it if it holds what looks like a misnamed one."""
    for path in sorted(folder.iterdir()):
        if not _set_aside(path) and is_translation(path.name):
            raise EditionsError(
                f"a translation without its master: add {MASTER} beside it (the text in the "
                "publication's own language), or move the file out of the folder",
                path,
            )
        if not _set_aside(path) and near_miss(path.name) == MASTER:
            raise EditionsError(misnamed(path.name, MASTER), path)


def misnamed(name: str, meant: str) -> str:
    return (
        f"the build does not read '{name}': it reads {HOLDS[meant]} from '{meant}'; "
        f"rename or convert it to {meant} (or move it out of the publication folder)"
    )


def _set_aside(path: Path) -> bool:
    """Not a candidate: folders, hidden files, editors' backups and images."""
    return (
        not path.is_file()
        or path.name.startswith(".")
        or path.name.endswith("~")
        or path.suffix.casefold() in MEDIA
    )
