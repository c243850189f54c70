"""Words per answer: the text under each level-1 heading, as a consultation counts it.

Left out: the generated endorser list, citations, URLs, '.no-answer' notes and the
References section. A Han,
Hiragana, Katakana or Hangul character counts as one word, as forms that limit CJK answers
count characters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from editions.adapters.pandoc_ast import AUTOLINK_CLASS, Node, plain_text, walk
from editions.errors import EditionsError
from editions.model.content import ENDORSERS_DIV, ENDORSERS_SECTION, NUMBER_CLASS
from editions.model.metadata import FRONT_MATTER, Limits

REFERENCES_ID = "references"
REFS_DIV = "refs"
NO_ANSWER = "no-answer"  # '[No answer provided]' is no answer's words
CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002ffff]"
)
URL = re.compile(r"(?:https?://|www\.)\S+")
BLOCKS = frozenset(
    [
        "Para",
        "Plain",
        "Header",
        "BlockQuote",
        "BulletList",
        "OrderedList",
        "DefinitionList",
        "Div",
        "Table",
        "Figure",
        "LineBlock",
        "CodeBlock",
        "HorizontalRule",
        "Note",
        "LineBreak",
        "Space",
        "SoftBreak",
    ]
)


@dataclass(frozen=True)
class Answer:
    identifier: str
    number: str  # the heading's '.qnum' span, '' for none
    title: str
    words: int
    limit: int | None  # the heading's words=, else the metadata's words-per-answer


def count_answers(blocks: list[Node], limits: Limits, master: Path) -> tuple[Answer, ...]:
    """An Answer for each level-1 heading but the References and the endorsers' sections,
    in order."""
    _refuse_misplaced_limits(blocks, master)
    answers: list[Answer] = []
    sections = _sections(blocks)
    for heading, body in sections:
        if heading["c"][1][0] in (REFERENCES_ID, ENDORSERS_SECTION) or any(
            n["t"] == "Div" and n["c"][0][0] == REFS_DIV for n in walk(body)
        ):
            continue
        identifier, _, attributes = heading["c"][1]
        inlines = heading["c"][2]
        numbers = [
            plain_text(n["c"][1])
            for n in inlines
            if n["t"] == "Span" and NUMBER_CLASS in n["c"][0][1]
        ]
        own = dict(attributes).get("words")
        answers.append(
            Answer(
                identifier=identifier,
                number=numbers[0] if numbers else "",
                title=plain_text(inlines, skip_classes=frozenset({NUMBER_CLASS})),
                words=count_words(body),
                limit=int(own) if own else limits.words_per_answer,
            )
        )
    return tuple(answers)


def count_words(value: object) -> int:
    parts: list[str] = []
    _collect(value, parts)
    total = 0
    for token in "".join(parts).split():
        if URL.match(token):
            continue
        total += len(CJK.findall(token))
        total += sum(1 for word in CJK.sub(" ", token).split() if any(c.isalnum() for c in word))
    return total


def _sections(blocks: list[Node]) -> list[tuple[Node, list[Node]]]:
    sections: list[tuple[Node, list[Node]]] = []
    for block in blocks:
        if block["t"] == "Header" and block["c"][0] == 1:
            sections.append((block, []))
        elif sections:
            sections[-1][1].append(block)
    return sections


def _collect(value: object, parts: list[str]) -> None:
    """The countable text under value: not citations, the endorser list or bare URLs."""
    if isinstance(value, list):
        for item in value:
            _collect(item, parts)
        return
    if not isinstance(value, dict) or "t" not in value:
        return
    kind, content = value["t"], value.get("c")
    if kind == "Cite" or (
        kind == "Div" and (content[0][0] == ENDORSERS_DIV or NO_ANSWER in content[0][1])
    ):
        return
    if kind == "Link" and {AUTOLINK_CLASS, "email"} & set(content[0][1]):
        return
    if kind == "Str":
        parts.append(content)
    elif kind == "Code":
        parts.append(content[1])
    elif kind == "CodeBlock":
        parts.append(f" {content[1]} ")
    elif kind in BLOCKS:
        parts.append(" ")
        _collect(content, parts)
        parts.append(" ")
    else:
        _collect(content, parts)


def _refuse_misplaced_limits(blocks: list[Node], master: Path) -> None:
    top = {id(b) for b in blocks if b["t"] == "Header" and b["c"][0] == 1}
    for node in walk(blocks):
        attributes = node["c"][1] if node["t"] == "Header" else None
        if node["t"] in ("Div", "Span"):
            attributes = node["c"][0]
        if attributes and "words" in dict(attributes[2]) and id(node) not in top:
            raise EditionsError(
                "words= limits an answer: put it on the answer's level-1 heading "
                "('# The question? {#q3 words=300}')",
                master,
            )


def exceeded(
    answers: tuple[Answer, ...], limits: Limits, master: Path, text: str
) -> list[EditionsError]:
    """An error for every limit exceeded: each answer's at its heading, the total at
    'limits:'."""
    errors = []
    lines = heading_lines(text)
    for ordinal, answer in enumerate(answers):
        if answer.limit is not None and answer.words > answer.limit:
            name = f"answer {answer.number.rstrip('.')}" if answer.number else "the section"
            errors.append(
                EditionsError(
                    f"{name} '{_short(answer.title)}' has {answer.words} words, over its "
                    f"limit of {answer.limit}; shorten it",
                    master,
                    lines.get(answer.identifier) or _nth(lines, ordinal),
                )
            )
    total = sum(answer.words for answer in answers)
    if limits.words is not None and total > limits.words:
        errors.append(
            EditionsError(
                f"the answers have {total} words in all, over the limit of {limits.words} "
                "(limits: words); shorten them",
                master,
                limits.line,
            )
        )
    return errors


ATX_1 = re.compile(r"#(?!#)\s+(.*)")
FENCE = re.compile(r"(`{3,}|~{3,})")


def heading_lines(text: str) -> dict[str, int]:
    """The line of each level-1 heading in the master, by its {#id} when it has one, else
    by its place among them ('#1', '#2', ...). Fenced code is skipped."""
    found: dict[str, int] = {}
    fence = ""
    count = 0
    front = FRONT_MATTER.match(text)
    skip = text[: front.end()].count("\n") if front else 0
    for number, line in enumerate(text.splitlines(), start=1):
        if number <= skip:
            continue
        stripped = line.strip()
        if fence:
            fence = "" if stripped.startswith(fence) else fence
            continue
        if match := FENCE.match(stripped):
            fence = match.group(1)
            continue
        if match := ATX_1.match(line):
            identifier = re.search(r"\{[^}]*#([\w:.-]+)[^}]*\}\s*$", match.group(1))
            found[f"#{count}"] = number
            if identifier:
                found[identifier.group(1)] = number
            count += 1
    return found


def _nth(lines: dict[str, int], ordinal: int) -> int | None:
    return lines.get(f"#{ordinal}")


def _short(title: str, length: int = 50) -> str:
    return title if len(title) <= length else title[: length - 1].rstrip() + "…"
