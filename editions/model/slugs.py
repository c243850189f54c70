"""Publication slugs: the folder names under source/ that may name a publication.

A slug names files, URLs and make targets, and the Makefile puts it in recipes: so it is a
safe name (lowercase ASCII letters, digits and hyphens, not starting with a hyphen) and none of
make's own targets. Standard library only: `python -m editions.model.slugs SOURCE` prints the
slugs for the Makefile, with the system Python, before the venv exists, each followed by its
translations as SLUG.LANG (a slug holds no dot, nor does a language tag).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from editions.errors import EditionsError
from editions.formats import NAMES
from editions.model.folder import MASTER
from editions.model.languages import translation_tags

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
# The Makefile's targets (its .PHONY line) and the formats (`make pdf`): `make SLUG` builds
# a publication, so a slug must not shadow them.
RESERVED = frozenset(
    {
        *NAMES,
        *("all", "release", "verify", "test", "test-fast", "goldens", "lint", "lock"),
        *("clean", "distclean", "bench", "serve", "help", "check", "check-source", "new"),
        "redline",
    }
)


def find_slugs(source: Path) -> list[str]:
    """The slugs of every folder under source holding a master.md, sorted; an error names the
    first folder whose name is not a slug."""
    if not source.is_dir():
        raise EditionsError("the source folder does not exist", source)
    names = sorted(p.parent.name for p in source.glob(f"*/{MASTER}"))
    for name in names:
        check_slug(name, source)
    return names


def find_editions(source: Path) -> list[str]:
    """Every publication's slug, each followed by its translations' names (SLUG.LANG): what
    names their editions. An ill-formed translation's name is an error."""
    names = []
    for slug in find_slugs(source):
        names += [slug, *(f"{slug}.{tag}" for tag in translation_tags(source / slug))]
    return names


def check_slug(name: str, source: Path) -> None:
    shown = name.encode("unicode_escape").decode("ascii") if not name.isprintable() else name
    if not SLUG.fullmatch(name):
        raise EditionsError(
            "a publication folder's name is its slug: lowercase letters, digits and hyphens, "
            "not starting with a hyphen; rename the folder",
            f"{source}/{shown}",
        )
    if name in RESERVED:
        raise EditionsError(
            f"'{name}' is a make target, so it cannot name a publication; rename the folder",
            f"{source}/{shown}",
        )


def main(argv: list[str]) -> int:
    try:
        print(" ".join(find_editions(Path(argv[0]))))
    except EditionsError as error:
        # The Makefile stops with this as its one line.
        print(error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
