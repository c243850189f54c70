"""The HTML edition: every word of the seed, the endorsers, the references, valid and accessible."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import lxml.html
import pytest

from goldens import assert_golden
from sentences import missing_sentences, seed_endorsers
from validators import axe_violations, nu_html_errors, scroll_width

INTRODUCTION = "The following TCCM members have endorsed this statement:"


@pytest.fixture(scope="module")
def html_path(built) -> Path:
    return built("html")


@pytest.fixture(scope="module")
def tree(html_path: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(html_path)).getroot()


def test_every_seed_sentence_is_in_the_page(tree, seed, citation_texts):
    main = tree.get_element_by_id("main")
    assert missing_sentences(main.text_content(), seed, drop=citation_texts) == []


def test_the_endorsers_are_all_listed_in_the_seed_order(tree, seed, flagship):
    listed = [li.text_content().strip() for li in tree.cssselect("#endorsers li")]
    assert listed == seed_endorsers(seed, INTRODUCTION, "(This article")
    assert listed == [e.name for e in flagship.endorsers]
    assert len(listed) == 22


def test_the_endorser_list_follows_its_introducing_sentence(tree):
    endorsers = tree.get_element_by_id("endorsers")
    previous = endorsers.getprevious()
    assert previous.text_content().strip() == INTRODUCTION


def test_every_reference_is_listed_and_every_citation_links_to_it(tree, flagship):
    entries = {e.get("id") for e in tree.cssselect("#refs .csl-entry")}
    assert entries == {f"ref-{r['id']}" for r in flagship.references}
    targets = {a.get("href") for a in tree.cssselect(".citation a")}
    assert targets and all(t[1:] in entries for t in targets)


def test_the_eleven_questions_are_numbered_sections(tree):
    sections = tree.cssselect("main section.question")
    assert [s.get("id") for s in sections] == [f"q{n}" for n in range(1, 12)]
    numbers = [s.cssselect("h2 .qnum")[0].text_content() for s in sections]
    assert numbers == [f"{n}." for n in range(1, 12)]


def test_question_seven_keeps_its_no_answer_note(tree):
    note = tree.cssselect("#q7 .no-answer")
    assert note and note[0].text_content().strip() == "[No answer provided]"


def test_internal_links_resolve(tree):
    ids = {element.get("id") for element in tree.iter() if element.get("id")}
    links = [a.get("href") for a in tree.iter("a") if (a.get("href") or "").startswith("#")]
    assert "#q11" in links
    assert [link for link in links if link[1:] not in ids] == []


def test_urls_are_links(tree, seed):
    hrefs = {a.get("href") for a in tree.iter("a")}
    for url in re.findall(r"https?://\S+", seed):
        assert url in hrefs


def test_the_page_stands_alone(html_path: Path):
    page = html_path.read_text(encoding="utf-8")
    assert "<script" not in page
    assert not re.search(r"<link\b|@import", page)
    assert not re.search(r"""\ssrc=["'](?!data:)""", page)
    assert not re.search(r"url\((?!['\"]?data:)", page)


@pytest.mark.slow
def test_the_nu_html_checker_reports_no_error(html_path: Path):
    assert nu_html_errors(html_path) == []


@pytest.mark.slow
@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 320)])
def test_axe_core_finds_no_violation(html_path: Path, scheme: str, width: int):
    assert axe_violations(html_path, scheme, width) == []


@pytest.mark.slow
def test_no_horizontal_scrolling_on_a_narrow_phone(html_path: Path):
    assert scroll_width(html_path, 320) <= 320


@pytest.mark.golden
def test_html_golden(html_path: Path, update_goldens: bool):
    page = html_path.read_text(encoding="utf-8")

    def digest(match: re.Match[str]) -> str:
        checksum = hashlib.sha256(match.group(1).encode()).hexdigest()[:16]
        return f"<style>/* sha256 {checksum} */</style>"

    readable = re.sub(r"<style>(.*?)</style>", digest, page, flags=re.S)
    assert_golden("tccm-wsis20/html.html", readable, update_goldens)
