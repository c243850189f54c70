"""The publication model: what it reads, and the one-line errors for what it refuses."""

from __future__ import annotations

import pytest

from editions.errors import EditionsError
from editions.model.publication import load_publication

from publications import edit


def test_the_flagship_holds_its_parts(flagship):
    assert flagship.metadata.lang == "en"
    assert len(flagship.endorsers) == 22
    assert [e.number for e in flagship.contents if e.number] == [f"{n}." for n in range(1, 12)]
    assert flagship.contents[-1].title == "References"
    assert "itu-wsis-forum-2024-action-lines" in {r["id"] for r in flagship.references}


def test_the_publication_cannot_be_changed(flagship):
    with pytest.raises(AttributeError):
        flagship.slug = "other"  # type: ignore[misc]
    flagship.ast()["blocks"].clear()
    assert flagship.ast()["blocks"]


def test_the_endorser_list_is_generated_into_its_placeholder(minimal):
    from editions.adapters.pandoc_ast import plain_text, walk

    publication = load_publication(minimal)
    names = [
        plain_text(node["c"][1])
        for node in walk(publication.ast()["blocks"])
        if node["t"] == "Span" and "endorser" in node["c"][0][1]
    ]
    assert names == ["First Member", "Second Member"]
    assert publication.contents[0].number == "1."


# (file, old text, new text, expected message fragment, expected line)
BAD_INPUT = [
    ("master.md", "title: A minimal publication", "title: [broken", "broken YAML", 3),
    ("master.md", "lang: en", "lang: en\nlang: fr", "given twice", 6),
    ("master.md", "lang: en", "lang: en\ncolour: blue", "unknown metadata field 'colour'", 6),
    ("master.md", "date: 2024-01-02", "date: yesterday", "write it as YYYY-MM-DD", 4),
    ("master.md", "author: The Test Coalition\n", "", "needs an 'author' field", 2),
    (
        "master.md",
        "[@source-2024]",
        "[@nowhere; @nobody]",
        "unknown citation keys: @nowhere (line 11:28), @nobody (line 11:38)",
        11,
    ),
    ("master.md", "# References {.unnumbered}", "# {.unnumbered}", "a heading has no words", 18),
    ("endorsers.yaml", "- name: Second Member", "- name: First Member", "duplicate endorser", 2),
    ("endorsers.yaml", "  short-name: SM", "  shortname: SM", "unknown endorser field", 3),
    ("endorsers.yaml", "- name: First Member", "- short-name: FM", "has no name", 1),
    ("endorsers.yaml", "  short-name: SM", "  short-name: [SM", "broken YAML", 3),
    ("endorsers.yaml", "  short-name: SM", "  kind: bakery", "unknown kind 'bakery'", 3),
    ("references.json", '"type": "report"', '"type": "reprot"', "not a CSL type", 2),
    ("references.json", '"title": "A source",', '"title": "A source"', "not valid JSON", 3),
]


@pytest.mark.parametrize(("name", "old", "new", "message", "line"), BAD_INPUT)
def test_bad_input_is_refused_with_file_and_line(minimal, name, old, new, message, line):
    edit(minimal / name, old, new)
    with pytest.raises(EditionsError) as caught:
        load_publication(minimal)
    assert message in caught.value.message
    assert caught.value.path == minimal / name
    assert caught.value.line == line


def test_an_empty_master_is_refused(minimal):
    text = (minimal / "master.md").read_text(encoding="utf-8")
    (minimal / "master.md").write_text(text.split("\n---\n")[0] + "\n---\n\n", encoding="utf-8")
    with pytest.raises(EditionsError, match="no text after its metadata block"):
        load_publication(minimal)


def test_a_master_that_is_not_utf8_is_refused(minimal):
    (minimal / "master.md").write_bytes("---\ntitle: caf\xe9\n".encode("latin-1"))
    with pytest.raises(EditionsError) as caught:
        load_publication(minimal)
    assert "not UTF-8" in caught.value.message
    assert (caught.value.line, caught.value.column) == (2, 11)


def test_endorsers_without_a_placeholder_are_refused(minimal):
    edit(minimal / "master.md", "::: {#endorsers}\n:::\n", "")
    with pytest.raises(EditionsError, match="no place for them"):
        load_publication(minimal)


def test_pandoc_failing_is_one_clear_error(minimal, monkeypatch):
    from editions.adapters import pandoc

    monkeypatch.setattr(pandoc, "pandoc_path", lambda: "/bin/false")
    with pytest.raises(EditionsError, match="pandoc failed: exit code 1"):
        load_publication(minimal)
