"""The changes between two versions of a document, marked in the later one's AST.

Pandoc's own representation of tracked changes: a Span of class `insertion` or `deletion`
(with `author` and `date`), which its Word writer turns into real revisions. The block lists
are compared first, block by block (a block whose text mostly changed is deleted and inserted
whole, never confetti); a block kept is then compared word by word (Han, kana and hangul
character by character, as they are written without spaces). Containers (sections, lists,
quotations, the endorser list, the references) are compared inside. Whitespace and the
typographic forms of quotes and dashes are not changes.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from editions.adapters.pandoc_ast import Node

INSERTION = "insertion"
DELETION = "deletion"
# Below this share of words in common, two blocks are different blocks, not one edited.
SAME_BLOCK = 0.5
# Unchanged words between two changes that are read as part of one change: fewer than this.
SHORT_RUN = 2
# Inline nodes that wrap inlines: compared inside, kept around what they hold.
WRAPPERS = {
    "Emph",
    "Strong",
    "Underline",
    "Strikeout",
    "Superscript",
    "Subscript",
    "SmallCaps",
    "Span",
    "Link",
    "Quoted",
}
# Blocks whose content is inlines (a LineBlock's is lines of them).
TEXT_BLOCKS = {"Para", "Plain", "Header"}
# Characters of scripts written without spaces: each is a word of the diff.
UNSPACED = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "FULLWIDTH", "BOPOMOFO")
# The running numbers pandoc gives every citation, which an earlier citation shifts.
_CITATION_COUNT = re.compile(r'"citation(?:Hash|NoteNum)": \d+,? ?')
# Forms that print alike enough not to count as an edit.
TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2026": "...",
    }
)


@dataclass(frozen=True)
class Revision:
    """Who made the changes and when, as Word's Review pane shows them."""

    author: str
    date: str  # ISO 8601, UTC: 2025-02-05T00:00:00Z

    def attributes(self) -> list[list[str]]:
        return [["author", self.author], ["date", self.date]]


def mark_blocks(earlier: list[Node], current: list[Node], revision: Revision) -> list[Node]:
    """current's blocks with earlier's differences marked: deleted text in `deletion`
    spans where it stood, inserted text in `insertion` spans. Neither argument changes."""
    return _BlockDiff(revision).blocks(earlier, current)


def mark_inlines(earlier: list[Node], current: list[Node], revision: Revision) -> list[Node]:
    """current's inlines with the words changed since earlier marked."""
    return _BlockDiff(revision).inlines(earlier, current)


def marked(inlines: list[Node], kind: str, revision: Revision) -> list[Node]:
    """inlines wholly inserted or deleted."""
    return [_span(kind, copy.deepcopy(inlines), revision)] if inlines else []


class _BlockDiff:
    def __init__(self, revision: Revision) -> None:
        self.revision = revision

    def blocks(self, earlier: list[Node], current: list[Node]) -> list[Node]:
        matcher = SequenceMatcher(
            None,
            [_block_key(b) for b in earlier],
            [_block_key(b) for b in current],
            autojunk=False,
        )
        result: list[Node] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                result += copy.deepcopy(current[j1:j2])
            else:
                result += self._replace(earlier[i1:i2], current[j1:j2])
        return result

    def _replace(self, earlier: list[Node], current: list[Node]) -> list[Node]:
        """A run of blocks changed: pair each kept block with its edited form (the most
        alike pair first, as difflib's ndiff does), the rest deleted or inserted whole."""
        best, pair = SAME_BLOCK, None
        for i, old in enumerate(earlier):
            for j, new in enumerate(current):
                score = _likeness(old, new)
                if score >= best and (pair is None or score > best):
                    best, pair = score, (i, j)
        if pair is None:
            return [self._whole(b, DELETION) for b in earlier] + [
                self._whole(b, INSERTION) for b in current
            ]
        i, j = pair
        return [
            *self._replace(earlier[:i], current[:j]),
            self._edited(earlier[i], current[j]),
            *self._replace(earlier[i + 1 :], current[j + 1 :]),
        ]

    def _edited(self, old: Node, new: Node) -> Node:
        kind = new["t"]
        block = copy.deepcopy(new)
        if kind in ("Para", "Plain"):
            block["c"] = self.inlines(old["c"], new["c"])
        elif kind == "Header":
            block["c"][2] = self.inlines(old["c"][2], new["c"][2])
        elif kind == "Div":
            block["c"][1] = self.blocks(old["c"][1], new["c"][1])
        elif kind == "BlockQuote":
            block["c"] = self.blocks(old["c"], new["c"])
        elif kind == "BulletList":
            block["c"] = self._items(old["c"], new["c"])
        elif kind == "OrderedList":
            block["c"][1] = self._items(old["c"][1], new["c"][1])
        elif kind == "LineBlock":
            block["c"] = self._lines(old["c"], new["c"])
        else:
            # A table, code, a rule: compared whole.
            return new if _block_key(old) == _block_key(new) else self._whole(new, INSERTION)
        return block

    def _items(self, earlier: list[list[Node]], current: list[list[Node]]) -> list[list[Node]]:
        """List items compared as blocks are: kept, edited, deleted or inserted."""
        as_divs = self.blocks([_item_div(i) for i in earlier], [_item_div(i) for i in current])
        return [div["c"][1] for div in as_divs]

    def _lines(self, earlier: list[list[Node]], current: list[list[Node]]) -> list[list[Node]]:
        as_plains = self.blocks(
            [{"t": "Plain", "c": line} for line in earlier],
            [{"t": "Plain", "c": line} for line in current],
        )
        return [plain["c"] for plain in as_plains]

    def _whole(self, block: Node, kind: str) -> Node:
        """block wholly inserted or deleted: every text in it marked."""
        block = copy.deepcopy(block)
        for inlines in _inline_lists(block):
            inlines[:] = marked(inlines, kind, self.revision)
        if kind == DELETION and block["t"] == "Header":
            # Its identifier is the current version's to give, if anyone's.
            block["c"][1][0] = ""
        return block

    def inlines(self, earlier: list[Node], current: list[Node]) -> list[Node]:
        old, new = list(_tokens(earlier)), list(_tokens(current))
        matcher = SequenceMatcher(None, [t.key for t in old], [t.key for t in new], autojunk=False)
        marks: list[tuple[_Token, str]] = []
        opcodes = _spaces_after(_merge_short_runs(matcher.get_opcodes(), new), old, new)
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                marks += [(token, "") for token in new[j1:j2]]
            else:
                marks += [(token, DELETION) for token in old[i1:i2]]
                marks += [(token, INSERTION) for token in new[j1:j2]]
        return _rebuild(marks, 0, self.revision)


@dataclass(frozen=True)
class _Token:
    """One word, space or indivisible inline, with the wrappers it stands in."""

    key: str
    node: Node
    context: tuple[Node, ...]  # wrappers without their content, outermost first


def _tokens(inlines: list[Node], context: tuple[Node, ...] = ()) -> Iterator[_Token]:
    for node in inlines:
        kind = node["t"]
        if kind in WRAPPERS:
            shell = _shell(node)
            yield from _tokens(_content(node), (*context, shell))
        elif kind == "Str":
            for piece in _words(node["c"]):
                yield _Token(
                    _context_key(context) + piece.translate(TYPOGRAPHY),
                    {"t": "Str", "c": piece},
                    context,
                )
        elif kind in ("Space", "SoftBreak"):
            yield _Token(_context_key(context) + " ", {"t": "Space"}, context)
        else:
            # A citation, a note, code, maths, an image, a line break: one word each.
            yield _Token(_context_key(context) + _json_key(node), node, context)


def _words(text: str) -> Iterator[str]:
    """text in diff words: runs of spaced script whole, unspaced characters one by one, and
    the punctuation before or after a word apart from it, so that "worked?" becoming
    "worked well?" is " well" inserted, not a word replaced."""
    run = ""
    for char in text:
        if _unspaced(char):
            if run:
                yield from _peeled(run)
                run = ""
            yield char
        else:
            run += char
    if run:
        yield from _peeled(run)


def _peeled(word: str) -> Iterator[str]:
    """The word's leading punctuation, one mark each, the word, then its trailing marks
    ("(GDC)," is "(", "GDC", ")", ","); punctuation inside a word ("don't", "2.6") stays."""
    start, end = 0, len(word)
    while start < end and _punctuation(word[start]):
        start += 1
    while end > start and _punctuation(word[end - 1]):
        end -= 1
    yield from word[:start]
    if start < end:
        yield word[start:end]
    yield from word[end:]


def _punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def _unspaced(char: str) -> bool:
    return ord(char) >= 0x2E80 and unicodedata.name(char, "").startswith(UNSPACED)


def _merge_short_runs(
    opcodes: list[tuple[str, int, int, int, int]], new: list[_Token]
) -> list[tuple[str, int, int, int, int]]:
    """A word or two left alone between two changes becomes part of one change: "the
    [quick]{del}[slow]{ins} [brown]{del}[red]{ins} fox" reads better as one replacement."""
    merged: list[list[Any]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between = 0 < index < len(opcodes) - 1
        words = sum(1 for t in new[j1:j2] if t.node["t"] != "Space")
        if tag == "equal" and between and words < SHORT_RUN:
            tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            merged[-1][2], merged[-1][4] = i2, j2
            merged[-1][0] = "replace"
        else:
            merged.append([tag, i1, i2, j1, j2])
    return [tuple(op) for op in merged]  # type: ignore[misc]


def _spaces_after(
    opcodes: list[tuple[str, int, int, int, int]], old: list[_Token], new: list[_Token]
) -> list[tuple[str, int, int, int, int]]:
    """An insertion or deletion that starts with a space, before text that starts with one,
    moved one token on: "1.[ open]{ins} What" and "1. [open ]{ins}What" say the same, but
    only the second leaves the space after a question's number where the editions expect it
    (the DOCX hangs the number on that space)."""
    shifted = [list(op) for op in opcodes]
    for index in range(len(shifted) - 1):
        tag, i1, i2, j1, j2 = shifted[index]
        following = shifted[index + 1]
        if following[0] != "equal" or following[2] == following[1]:
            continue
        if tag == "insert":
            run, first, after = new, j1, following[3]
        elif tag == "delete":
            run, first, after = old, i1, following[1]
        else:
            continue
        before = shifted[index - 1] if index > 0 else None
        if before is None or before[0] != "equal":
            continue
        if run[first].node["t"] == "Space" and run[first].key == run[after].key:
            # The space moves from the front of the change to the end of the text before.
            before[2] += 1
            before[4] += 1
            shifted[index][1:] = [
                i1 + (tag == "delete"),
                i2 + (tag == "delete"),
                j1 + (tag == "insert"),
                j2 + (tag == "insert"),
            ]
            following[1] += 1
            following[3] += 1
    return [tuple(op) for op in shifted if op[1] < op[2] or op[3] < op[4]]  # type: ignore[misc]


def _rebuild(marks: list[tuple[_Token, str]], depth: int, revision: Revision) -> list[Node]:
    """Inlines from marked tokens: wrappers around runs that share them, each run of
    inserted or deleted tokens in one span inside its wrappers."""
    result: list[Node] = []
    index = 0
    while index < len(marks):
        token, kind = marks[index]
        if len(token.context) > depth:
            shell = token.context[depth]
            end = index
            while end < len(marks) and _same_shell(marks[end][0], depth, shell):
                end += 1
            result.append(_wrap(shell, _rebuild(marks[index:end], depth + 1, revision)))
        else:
            end = index
            while (
                end < len(marks) and len(marks[end][0].context) == depth and (marks[end][1] == kind)
            ):
                end += 1
            nodes = _joined([copy.deepcopy(t.node) for t, _ in marks[index:end]])
            result += [_span(kind, nodes, revision)] if kind else nodes
        index = end
    return result


def _same_shell(token: _Token, depth: int, shell: Node) -> bool:
    return len(token.context) > depth and token.context[depth] is shell


def _joined(nodes: list[Node]) -> list[Node]:
    """Neighbouring pieces of one word (split for the diff) as one Str again."""
    joined: list[Node] = []
    for node in nodes:
        if node["t"] == "Str" and joined and joined[-1]["t"] == "Str":
            joined[-1] = {"t": "Str", "c": joined[-1]["c"] + node["c"]}
        else:
            joined.append(node)
    return joined


def _span(kind: str, inlines: list[Node], revision: Revision) -> Node:
    return {"t": "Span", "c": [["", [kind], revision.attributes()], inlines]}


def _shell(node: Node) -> Node:
    """A wrapper without its content; its key says what it is (a link's target too)."""
    kind = node["t"]
    if kind in ("Span", "Link"):
        return {"t": kind, "c": [node["c"][0], None, *node["c"][2:]]}
    if kind == "Quoted":
        return {"t": kind, "c": [node["c"][0], None]}
    return {"t": kind}


def _content(node: Node) -> list[Node]:
    if node["t"] in ("Span", "Link", "Quoted"):
        return node["c"][1]
    return node["c"]


def _wrap(shell: Node, inlines: list[Node]) -> Node:
    if shell["t"] in ("Span", "Link", "Quoted"):
        content = copy.deepcopy(shell["c"])
        content[1] = inlines
        return {"t": shell["t"], "c": content}
    return {"t": shell["t"], "c": inlines}


def _context_key(context: tuple[Node, ...]) -> str:
    return "".join(json.dumps(shell, sort_keys=True) for shell in context) + "\x00"


def _block_key(block: Node) -> str:
    """What a block says, as compared: its kind and its text, not its spacing."""
    if block["t"] in ("Para", "Plain"):
        return block["t"] + "".join(t.key for t in _tokens(block["c"]))
    if block["t"] == "Header":
        level, attributes, inlines = block["c"]
        return f"Header{level}{attributes}" + "".join(t.key for t in _tokens(inlines))
    return _json_key(block).translate(TYPOGRAPHY)


def _json_key(node: Node) -> str:
    """node as compared whole; a citation's running count (its hash) is not what it says."""
    return _CITATION_COUNT.sub("", json.dumps(node, sort_keys=True, ensure_ascii=False))


def _likeness(old: Node, new: Node) -> float:
    """How alike two blocks are, 0 to 1; 0 for blocks of different kinds."""
    if _kind(old) != _kind(new):
        return 0.0
    if _identifier(old) and _identifier(old) == _identifier(new):
        # The same question, list or reference by its identifier: one block, edited.
        return 1.0
    old_words, new_words = _text_keys(old), _text_keys(new)
    if not old_words and not new_words:
        return 1.0
    return SequenceMatcher(None, old_words, new_words, autojunk=False).ratio()


def _identifier(block: Node) -> str:
    if block["t"] == "Div":
        return block["c"][0][0]
    if block["t"] == "Header":
        return block["c"][1][0]
    return ""


def _kind(block: Node) -> tuple[Any, ...]:
    """What may pair with what: a paragraph with a paragraph, a heading with a heading of its
    level, a container with one of its kind and classes."""
    kind = block["t"]
    if kind == "Plain":
        kind = "Para"
    if block["t"] == "Header":
        return (kind, block["c"][0])
    if block["t"] == "Div":
        return (kind, tuple(block["c"][0][1]))
    return (kind,)


def _text_keys(block: Node) -> list[str]:
    keys: list[str] = []
    for inlines in _inline_lists(block):
        keys += [t.key for t in _tokens(inlines) if t.node["t"] != "Space"]
    return keys


def _inline_lists(block: Node) -> Iterator[list[Node]]:
    """Every list of inlines in block, outermost blocks first; notes' text is inside its
    citation or note, so not visited."""
    kind = block["t"]
    if kind in ("Para", "Plain"):
        yield block["c"]
    elif kind == "Header":
        yield block["c"][2]
    elif kind == "LineBlock":
        yield from block["c"]
    elif kind in (
        "Div",
        "BlockQuote",
        "BulletList",
        "OrderedList",
        "Table",
        "Figure",
        "DefinitionList",
    ):
        for child in _child_blocks(block):
            yield from _inline_lists(child)


def _child_blocks(block: Node) -> Iterator[Node]:
    """The blocks directly inside a container, whatever its shape."""
    stack: list[Any] = [block["c"]]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict) and "t" in item:
            if item["t"] in TEXT_BLOCKS or item["t"] not in _INLINE_KINDS:
                yield item
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))


_INLINE_KINDS = WRAPPERS | {
    "Str",
    "Space",
    "SoftBreak",
    "LineBreak",
    "Code",
    "Math",
    "RawInline",
    "Image",
    "Note",
    "Cite",
}


def _item_div(item: list[Node]) -> Node:
    return {"t": "Div", "c": [["", [], []], item]}
