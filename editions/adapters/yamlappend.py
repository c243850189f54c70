"""Appending to a YAML list in place: ruamel.yaml's round trip keeps the file's comments,
order and formatting, so a person's edits survive a program's."""

from __future__ import annotations

import io

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


def append_to_list(text: str, entries: list[dict[str, str]]) -> str:
    """The YAML text with entries appended to its top-level list (made if the text has
    none: only comments, or nothing)."""
    yaml = YAML()
    yaml.indent(mapping=2, sequence=2, offset=0)  # '- name: ...' at the margin, as we write
    yaml.width = 4096  # never fold a long name onto two lines
    yaml.preserve_quotes = True
    data = yaml.load(text) if text.strip() else None
    prefix = ""
    if data is None:
        data = CommentedSeq()
        prefix = text if not text or text.endswith("\n") else text + "\n"
    if not isinstance(data, CommentedSeq):
        raise ValueError("the file is not a YAML list")
    for entry in entries:
        data.append(CommentedMap(entry))
    out = io.StringIO()
    yaml.dump(data, out)
    return prefix + out.getvalue()
