"""What `editions check` warns of: a term written two ways, British and American spellings
mixed, references nothing cites, and links to ids that do not exist.

The text is read from the master itself (not the AST), so that every warning has its line;
markup, citations, URLs and link targets are set aside first."""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from editions.adapters.pandoc_ast import Node, walk
from editions.model.metadata import FRONT_MATTER


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


# --- the master's prose, line by line --------------------------------------------------

MARKUP = [
    re.compile(r"<!--.*?-->"),
    re.compile(r"\{[^{}]*\}"),  # attributes
    re.compile(r"\[-?@[^\]]*\]|(?<![\w@])@[\w:.#$%&+?<>~/-]+"),  # citations
    re.compile(r"<[a-z]+:[^>]*>|\bhttps?://\S+|\bwww\.\S+|\S+@\S+\.\w+"),  # URLs, addresses
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"`[^`]*`"),
]
SENTENCE_END = re.compile(r"[.!?:;]\s|[()\[\]\"“”‘’*_|]|\s[-–—]\s")
TOKEN = re.compile(r"\+?\w(?:[\w’']*\w)?(?:[-‐+]\w(?:[\w’']*\w)?)*\+?")


@dataclass(frozen=True)
class Line:
    number: int
    text: str  # markup removed
    heading: bool


def prose_lines(text: str) -> list[Line]:
    """The body's lines up to the References heading, without code, markup or URLs."""
    front = FRONT_MATTER.match(text)
    skip = text[: front.end()].count("\n") if front else 0
    lines: list[Line] = []
    fence = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if number <= skip:
            continue
        if fence:
            fence = "" if stripped.startswith(fence) else fence
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if re.match(r"#\s+References\b", stripped) or "{#refs" in stripped:
            break
        if stripped.startswith(":::"):
            continue
        for pattern in MARKUP:
            raw = pattern.sub(" ", raw)
        heading = stripped.startswith("#")
        raw = re.sub(r"^\s*(?:#+|>|[*+-](?=\s)|\d+[.)](?=\s))\s*", " ", raw)
        lines.append(Line(number, raw, heading))
    return lines


# --- a term written two ways --------------------------------------------------------------

# Words that make an n-gram a phrase rather than a term ('a part' is not 'apart').
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "be",
        "was",
        "were",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "any",
        "some",
        "every",
        "no",
        "not",
        "all",
        "each",
        "one",
        "may",
        "can",
        "will",
        "would",
        "should",
        "could",
        "into",
        "onto",
        "over",
        "under",
        "up",
        "down",
        "out",
        "off",
        "than",
        "then",
        "so",
        "such",
        "there",
        "their",
        "our",
        "we",
        "they",
        "he",
        "she",
    ]
)
MAX_WORDS = 3


@dataclass(frozen=True)
class _Occurrence:
    surface: str
    line: int
    case_known: bool  # not at a sentence's start, not in a heading, not inside a longer Name


def term_variants(lines: list[Line], master: Path) -> list[Finding]:
    """Terms written two ways: 'multi-stakeholder' and 'multistakeholder', 'WSIS +20' and
    'WSIS+20' (hyphens and spaces), 'Internet governance' and 'Internet Governance' (case,
    leaving aside capitals that begin a sentence or a heading, or that are part of a longer
    capitalised name such as 'Internet Governance Forum')."""
    groups: dict[str, list[_Occurrence]] = defaultdict(list)
    for line in lines:
        for segment, initial in _segments(line.text):
            tokens = list(TOKEN.finditer(segment))
            for start in range(len(tokens)):
                for size in range(1, MAX_WORDS + 1):
                    run = tokens[start : start + size]
                    if len(run) < size or not _joined(segment, run):
                        break
                    words = [t.group() for t in run]
                    if size > 1 and any(w.lower() in FUNCTION_WORDS for w in words):
                        continue
                    if not any(c.isalpha() for c in "".join(words)):
                        continue
                    surface = segment[run[0].start() : run[-1].end()]
                    capitalised_neighbour = _in_name(segment, tokens, start, size)
                    case_known = not line.heading and not (initial and start == 0)
                    case_known = case_known and not (size > 1 and capitalised_neighbour)
                    groups[_key(words)].append(_Occurrence(surface, line.number, case_known))
    findings: list[Finding] = []
    flagged: list[str] = []
    for key in sorted(groups, key=len):
        if any(shorter in key for shorter in flagged):
            continue
        finding = _variants(groups[key], master)
        if finding:
            findings.append(finding)
            flagged.append(key)
    return sorted(findings, key=lambda f: f.line or 0)


def _variants(occurrences: list[_Occurrence], master: Path) -> Finding | None:
    spellings = _forms(occurrences, lambda o: o.surface.lower())
    if len(spellings) >= 2:  # shown as first written
        spellings = {
            next(o.surface for o in occurrences if o.surface.lower() == form): found
            for form, found in spellings.items()
        }
    else:
        known = [o for o in occurrences if o.case_known]
        spellings = _forms(known, lambda o: o.surface)
        if len(spellings) < 2 or (" " not in known[0].surface and "-" not in known[0].surface):
            return None  # one word in two cases is mostly a name beside a common noun
    ranked = sorted(spellings.items(), key=lambda item: (-len(item[1]), item[1][0]))
    described = "; ".join(
        f"'{form}' (line{'s' if len(found) > 1 else ''} {', '.join(map(str, found[:5]))}"
        f"{', ...' if len(found) > 5 else ''})"
        for form, found in ranked
    )
    rare_line = ranked[-1][1][0]
    return Finding(master, rare_line, f"one term written {len(ranked)} ways: {described}; pick one")


def _forms(occurrences: list[_Occurrence], form) -> dict[str, list[int]]:
    forms: dict[str, list[int]] = {}
    for occurrence in occurrences:
        lines = forms.setdefault(form(occurrence), [])
        if occurrence.line not in lines:
            lines.append(occurrence.line)
    return forms


def _segments(text: str) -> list[tuple[str, bool]]:
    """The text cut at sentence ends and brackets; True when the piece starts a sentence."""
    pieces: list[tuple[str, bool]] = []
    start, initial = 0, True
    for match in SENTENCE_END.finditer(text):
        pieces.append((text[start : match.start()], initial))
        initial = match.group().strip()[:1] in ".!?:" or (
            initial and not text[start : match.start()].strip()
        )
        start = match.end()
    pieces.append((text[start:], initial))
    return pieces


def _joined(segment: str, run: list[re.Match[str]]) -> bool:
    return all(segment[a.end() : b.start()] == " " for a, b in itertools.pairwise(run))


NAME_JOINERS = frozenset({"of", "and", "for", "the", "on", "de"})


def _in_name(segment: str, tokens: list[re.Match[str]], start: int, size: int) -> bool:
    """Whether tokens[start:start+size] are part of a longer capitalised name: 'Internet
    Governance' in 'Internet Governance Forum', 'Emerging Technologies' in 'Office of
    Digital and Emerging Technologies'."""
    end = start + size
    after = end < len(tokens) and _joined(segment, tokens[end - 1 : end + 1])
    if after and _capitalised(tokens[end].group()):
        return True
    before = start - 1
    if before >= 0 and _joined(segment, tokens[before:start]):
        word = tokens[before].group()
        if _capitalised(word):
            return True
        if word in NAME_JOINERS and before >= 1 and _joined(segment, tokens[before - 1 : start]):
            return _capitalised(tokens[before - 1].group())
    return False


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _key(words: list[str]) -> str:
    return "".join(words).replace("-", "").replace("‐", "").casefold()


# --- British and American spelling ---------------------------------------------------------

ISE = re.compile(
    r"\b((?:organ|recogn|real|priorit|emphas|minim|maxim|standard|harmon|digital|global|"
    r"central|decentral|util|critic|summar|categor|optim|character|author|mobil|special|"
    r"legitim|capital|normal|modern|democrat|stabil|civil|apolog|monopol|visual|formal)"
    r")(is|iz)(e|es|ed|ing|ation|ations|ational|er|ers)\b",
    re.I,
)
OUR = re.compile(
    r"\b(colo|behavio|favo|hono|labo|neighbo|harbo|endeavo|rumo|flavo|vigo|humo)(u?)r"
    r"(s|ed|ing|able|ably|ite|ites|hood|hoods|al)?\b",
    re.I,
)
RE_ER = re.compile(r"\b(cent|fib|theat|calib)(re|er)(s|d|ed|ing)?\b", re.I)
ANALYSE = re.compile(r"\b(analy|paraly|cataly)(s|z)(e|es|ed|ing)\b", re.I)
ENCE = re.compile(r"\b(defen|offen)(c|s)(e|es)\b", re.I)
# Each pattern: the group that tells the spelling, and what it is in British spelling.
SPELLINGS = {
    "-ise/-ize": (ISE, 2, "is"),
    "-our/-or": (OUR, 2, "u"),
    "-re/-er": (RE_ER, 2, "re"),
    "-yse/-yze": (ANALYSE, 2, "s"),
    "-ence/-ense": (ENCE, 2, "c"),
}


def spelling_mix(lines: list[Line], lang: str, master: Path) -> list[Finding]:
    """American spellings in an en-GB text, British ones in en-US; in plain 'en', the
    rarer of the two where both are used. en-GB-oxendict (Oxford spelling) writes -ize and -our.
    Words
    capitalised inside a sentence are left alone: 'World Health Organization' is a name."""
    tag = lang.lower()
    if tag.split("-")[0] != "en":
        return []
    findings: list[Finding] = []
    for label, (pattern, group, british) in SPELLINGS.items():
        found: dict[str, list[tuple[int, str]]] = {"British": [], "American": []}
        for line in lines:
            for segment, initial in _segments(line.text):
                for match in pattern.finditer(segment):
                    word = match.group()
                    if word[0].isupper() and not (initial and not segment[: match.start()].strip()):
                        continue
                    variety = "British" if match.group(group).lower() == british else "American"
                    found[variety].append((line.number, word))
        expected = _expected(tag, label)
        if expected is None:
            if not (found["British"] and found["American"]):
                continue
            expected = "British" if len(found["British"]) >= len(found["American"]) else "American"
        other = "American" if expected == "British" else "British"
        for number, word in found[other]:
            hint = (
                " (or tag the text en-GB-oxendict for Oxford spelling)"
                if label == "-ise/-ize" and tag == "en-gb"
                else ""
            )
            findings.append(
                Finding(
                    master,
                    number,
                    f"'{word}' is {other} spelling ({label}) in a text "
                    + (
                        f"tagged {lang}"
                        if _expected(tag, label)
                        else f"mostly in {expected} spelling"
                    )
                    + f"; use the {expected} spelling{hint}",
                )
            )
    return sorted(findings, key=lambda f: f.line or 0)


def _expected(tag: str, label: str) -> str | None:
    if tag.startswith("en-us"):
        return "American"
    if tag.startswith("en-gb-oxendict"):
        return "American" if label == "-ise/-ize" else "British"  # Oxford: -ize, -our
    if tag.startswith("en-gb"):
        return "British"
    return None


# --- references and links --------------------------------------------------------------------


def uncited_references(
    blocks: list[Node],
    references: tuple[dict[str, Any], ...],
    references_path: Path,
    text: str,
) -> list[Finding]:
    """The references nothing cites, at their line of text (the references file's text)."""
    cited = {c["citationId"] for n in walk(blocks) if n["t"] == "Cite" for c in n["c"][0]}
    findings = []
    for entry in references:
        if entry["id"] not in cited:
            position = text.find(json.dumps(entry["id"]))
            line = text.count("\n", 0, position) + 1 if position >= 0 else None
            findings.append(
                Finding(
                    references_path,
                    line,
                    f"the reference '{entry['id']}' is cited nowhere; cite it "
                    f"([@{entry['id']}]) or remove it",
                )
            )
    return findings


def broken_links(blocks: list[Node], text: str, master: Path) -> list[Finding]:
    ids = set()
    for node in walk(blocks):
        attributes = _attributes(node)
        if attributes and attributes[0]:
            ids.add(attributes[0])
    findings = []
    for node in walk(blocks):
        if node["t"] == "Link" and node["c"][2][0].startswith("#"):
            target = node["c"][2][0][1:]
            if target and target not in ids:
                position = text.find(f"(#{target})")
                line = text.count("\n", 0, position) + 1 if position >= 0 else None
                findings.append(
                    Finding(
                        master,
                        line,
                        f"the link to '#{target}' goes nowhere: no heading or "
                        "block has that id; fix the link or give the target {#" + target + "}",
                    )
                )
    return findings


def _attributes(node: Node) -> list | None:
    if node["t"] in ("Div", "Span", "Code", "CodeBlock", "Link", "Image", "Table", "Figure"):
        return node["c"][0]
    if node["t"] == "Header":
        return node["c"][1]
    return None
