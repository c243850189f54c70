"""`editions new SLUG`: a publication to start from, which builds at once.

The master holds every metadata field the README documents (those not needed commented out),
a fresh identifier, today's date and one example question; beside it, an endorsers file of
comments only and an empty bibliography. Nothing is written unless the slug is free and safe.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

from editions.adapters import templates
from editions.errors import EditionsError
from editions.model.folder import ENDORSERS, MASTER, REFERENCES
from editions.model.slugs import RESERVED, SLUG
from editions.output import write_atomically
from editions.signons import HEADER


def new_publication(
    source: Path, slug: str, title: str, author: str, lang: str, today: dt.date
) -> Path:
    """Create source/SLUG/ and return it."""
    folder = source / slug
    if not SLUG.fullmatch(slug):
        raise EditionsError(
            "a slug is lowercase letters, digits and hyphens, not starting with a hyphen "
            "(it names the folder and the editions); choose another",
            folder,
        )
    if slug in RESERVED:
        raise EditionsError(f"'{slug}' is a make target; choose another slug", folder)
    if folder.exists():
        raise EditionsError("a publication of that name exists; choose another slug", folder)
    master = templates.render(
        "new/master.md.j2",
        title=json.dumps(title, ensure_ascii=False),  # a YAML string, whatever it holds
        author=json.dumps(author, ensure_ascii=False),
        lang=lang,
        date=today.isoformat(),
        year=today.year,
        identifier=uuid.uuid4(),
    )
    folder.mkdir(parents=True)
    write_atomically(folder / MASTER, master.encode("utf-8"))
    write_atomically(folder / ENDORSERS, HEADER.encode("utf-8"))
    write_atomically(folder / REFERENCES, templates.read("new/references.json").encode("utf-8"))
    return folder
