"""The endorser list is a section of its own: a heading with its count, in every navigation."""

from __future__ import annotations

from pathlib import Path

from editions.adapters.pandoc_ast import plain_text
from editions.model.content import ENDORSERS_SECTION
from editions.model.publication import load_publication

from publications import edit


def headings(folder: Path) -> list[tuple[str, str]]:
    publication = load_publication(folder)
    return [
        (node["c"][1][0], plain_text(node["c"][2]))
        for node in publication.ast()["blocks"]
        if node["t"] == "Header"
    ]


def test_the_list_has_a_heading_with_its_count_before_its_introduction(minimal: Path):
    assert headings(minimal) == [
        ("q1", "1. A question?"),
        (ENDORSERS_SECTION, "Endorsing organisations (2)"),
        ("references", "References"),
    ]
    contents = load_publication(minimal).contents
    assert [e.identifier for e in contents] == ["q1", ENDORSERS_SECTION, "references"]


def test_the_master_chooses_the_headings_words(minimal: Path):
    edit(minimal / "master.md", "lang: en\n", "lang: en\nendorsers-heading: Signatories\n")
    assert (ENDORSERS_SECTION, "Signatories (2)") in headings(minimal)


def test_a_section_break_before_the_list_opens_the_section(minimal: Path):
    edit(
        minimal / "master.md",
        "The following members",
        "* * *\n\nAbout us.\n\nThe following members",
    )
    blocks, heading = blocks_and_section_heading(minimal)
    assert "HorizontalRule" not in [b["t"] for b in blocks]
    assert plain_text(blocks[heading + 1]["c"]) == "About us."


def test_an_about_div_opens_the_section(minimal: Path):
    edit(
        minimal / "master.md",
        "The following members",
        "::: {.about}\nAbout us.\n:::\n\nThe following members",
    )
    blocks, heading = blocks_and_section_heading(minimal)
    assert blocks[heading + 1]["t"] == "Div" and "about" in blocks[heading + 1]["c"][0][1]
    assert plain_text(blocks[heading - 1]["c"]).startswith("An answer citing a source")


def test_the_answers_words_leave_the_endorsers_section_out(minimal: Path):
    answers = load_publication(minimal).answers
    assert [a.identifier for a in answers] == ["q1"]


def test_the_html_contents_list_it(minimal: Path, tmp_path: Path):
    from editions.build import render_edition

    publication = load_publication(minimal)
    page = render_edition(publication, "html", tmp_path).path.read_text(encoding="utf-8")
    assert (
        f'<a href="#{ENDORSERS_SECTION}"><span class="toc-title">Endorsing organisations (2)'
        in page
    )


def test_the_sections_id_is_the_builds(minimal: Path):
    import pytest

    from editions.errors import EditionsError

    edit(minimal / "master.md", "{#q1}", "{#signatories}")
    with pytest.raises(EditionsError, match="'#signatories' names the endorser list's heading"):
        load_publication(minimal)


def test_the_list_shows_websites_and_countries_when_the_master_asks(minimal: Path, tmp_path: Path):
    from editions.build import render_edition

    (minimal / "endorsers.yaml").write_text(
        "- name: First Member\n  website: https://first.example/\n  country: Kenya\n"
        "- name: Second Member\n",
        encoding="utf-8",
    )
    plain = render_edition(load_publication(minimal), "html", tmp_path / "a").path
    assert "first.example" not in plain.read_text(encoding="utf-8")
    assert "Kenya" not in plain.read_text(encoding="utf-8")
    edit(minimal / "master.md", "lang: en\n", "lang: en\nendorser-details: [website, country]\n")
    page = render_edition(load_publication(minimal), "html", tmp_path / "b").path
    text = page.read_text(encoding="utf-8")
    assert (
        '<span class="endorser"><a href="https://first.example/">First Member</a></span>, '
        '<span class="endorser-country">Kenya</span>'
    ) in text
    assert '<span class="endorser">Second Member</span></li>' in text


def test_endorser_details_are_checked(minimal: Path):
    import pytest

    from editions.errors import EditionsError

    edit(minimal / "master.md", "lang: en\n", "lang: en\nendorser-details: [email]\n")
    with pytest.raises(EditionsError, match="endorser-details must list some of") as caught:
        load_publication(minimal)
    assert caught.value.line == 6


def blocks_and_section_heading(folder: Path) -> tuple[list, int]:
    """The publication's blocks, and where among them the endorsers' heading stands."""
    blocks = load_publication(folder).ast()["blocks"]
    heading = next(
        i for i, b in enumerate(blocks) if b["t"] == "Header" and b["c"][1][0] == ENDORSERS_SECTION
    )
    return blocks, heading
