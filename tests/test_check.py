"""Limits and warnings: `editions check`, and the build refusing an exceeded limit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from editions.errors import EditionsError
from editions.model.consistency import prose_lines, spelling_mix, term_variants
from editions.model.publication import load_publication
from editions.model.wordcount import count_words

from publications import add_to_body, edit


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "editions", *args], capture_output=True, text=True, check=False
    )


def para(text: str) -> list:
    return [{"t": "Para", "c": [{"t": "Str", "c": w} for w in text.split()]}]


def test_count_words_leaves_out_citations_urls_and_punctuation():
    blocks = [
        {
            "t": "Para",
            "c": [
                {"t": "Str", "c": "Two"},
                {"t": "Space"},
                {"t": "Str", "c": "words"},
                {"t": "Space"},
                {"t": "Str", "c": "—"},
                {"t": "Cite", "c": [[], [{"t": "Str", "c": "(Body 2024)"}]]},
                {
                    "t": "Link",
                    "c": [
                        ["", ["uri"], []],
                        [{"t": "Str", "c": "https://x.org"}],
                        ["https://x.org", ""],
                    ],
                },
            ],
        },
        {"t": "Para", "c": [{"t": "Str", "c": "multi-stakeholder"}]},
    ]
    assert count_words(blocks) == 3


def test_cjk_characters_count_one_each():
    assert count_words(para("互联网治理 and ウェブ")) == 5 + 1 + 3


def test_answers_are_counted_per_heading(minimal: Path):
    publication = load_publication(minimal)
    [answer] = publication.answers
    # 'An answer citing a source' and 'The following members endorse it:', without the
    # citation, the endorsers or the References
    assert (answer.identifier, answer.number, answer.words) == ("q1", "1.", 10)
    assert publication.words == 10


def test_limits_in_metadata_are_validated(minimal: Path):
    edit(minimal / "master.md", "lang: en\n", "lang: en\nlimits: {words-per-answer: 0}\n")
    with pytest.raises(EditionsError, match="whole number") as error:
        load_publication(minimal)
    assert error.value.line == 6
    edit(minimal / "master.md", "words-per-answer: 0", "pages: 3")
    with pytest.raises(EditionsError, match="unknown limit 'pages'"):
        load_publication(minimal)


def test_a_heading_limit_must_be_a_number(minimal: Path):
    edit(minimal / "master.md", "{#q1}", "{#q1 words=many}")
    with pytest.raises(EditionsError, match="words=many is not a limit") as error:
        load_publication(minimal)
    assert error.value.line == 9


def two_answers(folder: Path, limits: str) -> None:
    edit(folder / "master.md", "lang: en\n", f"lang: en\nlimits: {limits}\n")
    edit(folder / "master.md", "{#q1}", "{#q1 words=3}")
    edit(
        folder / "master.md",
        "# References",
        "# [2.]{.qnum} Another? {#q2}\n\nOne two three four five six.\n\n# References",
    )


def test_the_build_refuses_every_exceeded_limit_at_once(minimal: Path, tmp_path: Path):
    two_answers(minimal, "{words-per-answer: 5, words: 9}")
    master = minimal / "master.md"
    out = tmp_path / "o"
    result = run("build", "--source", str(minimal.parent), "--out", str(out), "-f", "html")
    assert result.returncode == 1
    assert result.stderr.splitlines() == EXCEEDED(master)
    assert not out.exists() or not any(out.rglob("*.html"))


def EXCEEDED(master: Path) -> list[str]:  # noqa: N802
    return [
        f"error: {master}:10: answer 1 'A question?' has 10 words, over its limit of 3; shorten it",
        f"error: {master}:19: answer 2 'Another?' has 6 words, over its limit of 5; shorten it",
        f"error: {master}:6: the answers have 16 words in all, over the limit of 9 "
        "(limits: words); shorten them",
    ]


def test_check_prints_the_table_and_the_errors(minimal: Path):
    two_answers(minimal, "{words-per-answer: 5, words: 9}")
    master = minimal / "master.md"
    result = run("check", "--source", str(minimal.parent))
    assert result.returncode == 1
    assert "  1  A question?  " in result.stdout and "all answers" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == EXCEEDED(master)


def test_check_passes_within_limits_and_strict_fails_on_warnings(minimal: Path):
    result = run("check", "--source", str(minimal.parent))
    assert result.returncode == 0, result.stderr
    add_to_body(
        minimal, "A multi-stakeholder model. A multistakeholder model. See [there](#nowhere)."
    )
    result = run("check", "--source", str(minimal.parent))
    assert result.returncode == 0
    assert "warning:" in result.stderr and "'#nowhere' goes nowhere" in result.stderr
    assert run("check", "--strict", "--source", str(minimal.parent)).returncode == 1


def test_uncited_reference_is_a_warning(minimal: Path):
    edit(minimal / "master.md", " [@source-2024]", "")
    result = run("check", "--source", str(minimal.parent))
    assert (
        f"{minimal / 'references.json'}:2: the reference 'source-2024' is cited nowhere"
        in result.stderr
    )


def lines_of(body: str) -> list:
    return prose_lines(f"---\ntitle: x\n---\n{body}")


def test_term_variants():
    lines = lines_of(
        "A multi-stakeholder model.\n\n"
        "The multistakeholder way and the WSIS+20 review, not WSIS +20.\n\n"
        "We like Internet governance. The Internet Governance Forum is not Internet Governance"
        " here.\n\nInternet is big; the internet too. The Office of Digital and Emerging"
        " Technologies is about emerging technologies.\n"
    )
    found = [f.message for f in term_variants(lines, Path("m.md"))]
    assert sorted(found) == [
        "one term written 2 ways: 'Internet governance' (line 8); 'Internet Governance' (line 8);"
        " pick one",
        "one term written 2 ways: 'WSIS+20' (line 6); 'WSIS +20' (line 6); pick one",
        "one term written 2 ways: 'multi-stakeholder' (line 4); 'multistakeholder' (line 6);"
        " pick one",
    ]


@pytest.mark.parametrize(
    ("lang", "flagged"),
    [
        ("en-GB", ["organize"]),
        ("en-US", ["organise", "organise", "colour"]),
        ("en", ["organize"]),
        ("en-GB-oxendict", ["organise", "organise"]),
    ],
)
def test_spelling_mix(lang, flagged):
    lines = lines_of(
        "We organise, organise and organize the colour. The World Health Organization.\n"
    )
    found = spelling_mix(lines, lang, Path("m.md"))
    assert [f.message.split("'")[1] for f in found] == flagged


def test_help():
    result = run("check", "--help")
    assert result.returncode == 0 and "--strict" in result.stdout
