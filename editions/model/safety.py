"""What a master may not do: reach outside its folder, reach the network, or run code.

Raw HTML, LaTeX or OOXML in a master is refused (HTML comments are dropped): nothing in the
editions can then run, fetch or embed what the Markdown does not say. Images must be files
inside the publication folder (or data: URIs), and every image is checked by images.py and
embedded as a data: URI of the checked bytes; links may go to the web, to mail addresses or
within the text; no text may hold a control character (an entity such as &#1; makes one).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import NoReturn
from urllib.parse import unquote, urlsplit

from editions.adapters.pandoc_ast import Node
from editions.adapters.sourcefile import CONTROL, read_source
from editions.errors import EditionsError
from editions.model.images import ImageError, check_image, decode_data_uri
from editions.model.limits import MAX_IMAGE_BYTES

LINK_SCHEMES = ("http", "https", "mailto", "tel", "urn", "doi")
ALLOWED_ATTRIBUTES = re.compile(
    r"(lang|dir|title|width|height|custom-style|data-[\w-]+|number|words|short)"
)
NUMERIC_REFERENCE = re.compile(r"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,8});")
HTML_COMMENT = re.compile(r"\A\s*<!--.*?-->\s*\Z", re.S)


def check_document(document: dict, folder: Path, master: Path, text: str = "") -> None:
    """Remove HTML comments from the document (body and metadata); raise on anything unsafe."""
    checker = _Checker(folder, master, text)
    document["meta"] = _clean_value(document["meta"], checker)
    document["blocks"] = _clean_list(document["blocks"], checker)


class _Checker:
    def __init__(self, folder: Path, master: Path, text: str) -> None:
        self.folder = folder.resolve()
        self.master = master
        self.text = text

    def fail(self, message: str, needle: str) -> NoReturn:
        line, column = _place(self.text, needle)
        raise EditionsError(message, self.master, line, column)

    def node(self, node: Node) -> bool:
        """Check one node; False when it should be dropped."""
        kind = node["t"]
        if kind in ("RawBlock", "RawInline"):
            raw_format, content = node["c"]
            if raw_format == "html" and HTML_COMMENT.match(content):
                return False
            self.fail(
                f"raw {raw_format.upper()} is not allowed in a master "
                f"({content.strip()[:40]!r}); write it in Markdown",
                content.strip()[:40],
            )
        attributes = _attributes(node)
        if attributes is not None:
            for key, value in attributes[2]:
                if not ALLOWED_ATTRIBUTES.fullmatch(key) or "url(" in value:
                    self.fail(f"the attribute '{key}' is not allowed in a master", key)
                if key == "words" and not (value.isascii() and value.isdigit() and int(value)):
                    self.fail(
                        f"words={value} is not a limit; write a whole number above 0, "
                        "e.g. words=300",
                        f"words={value}",
                    )
        if kind == "Image":
            node["c"][2][0] = self.image(node["c"][2][0])
        elif kind == "Link":
            self.link(node["c"][2][0])
        return True

    def image(self, target: str) -> str:
        """The image's checked bytes as a data: URI, for every edition to embed."""
        try:
            data = self.image_bytes(target)
            return check_image(data).data_uri()
        except ImageError as refused:
            self.fail(f"the image '{_short(target)}' {refused}", target)

    def image_bytes(self, target: str) -> bytes:
        parts = urlsplit(target)
        if parts.scheme == "data":
            return decode_data_uri(target)
        if parts.scheme or parts.netloc:
            self.fail(
                f"the image '{target}' is not a file in the publication folder; "
                "download it into the folder and refer to it by its name",
                target,
            )
        relative = unquote(parts.path)
        path = (self.folder / relative).resolve()
        if relative.startswith("/") or not path.is_relative_to(self.folder):
            self.fail(f"the image '{target}' is outside the publication folder", target)
        if not path.is_file():
            self.fail(f"the image '{target}' does not exist in {self.folder}", target)
        try:
            return read_source(self.folder / relative, self.folder, MAX_IMAGE_BYTES)
        except EditionsError as error:
            self.fail(f"the image '{target}' {error.message}", target)

    def string(self, value: str) -> None:
        found = CONTROL.search(value)
        if found:
            self.fail(
                f"the text holds the control character U+{ord(found.group()):04X} "
                "(written as an entity such as &#1;?), which no edition can show; delete it",
                value,
            )

    def link(self, target: str) -> None:
        scheme = urlsplit(target).scheme.lower()
        if target.startswith("#") or scheme in LINK_SCHEMES:
            return
        self.fail(
            f"the link '{target}' must be a web address (https://...), an e-mail address "
            "(mailto:...) or a section of the text (#id)",
            target,
        )


def _attributes(node: Node) -> list | None:
    content = node.get("c")
    if node["t"] in ("Div", "Span", "Code", "CodeBlock", "Link", "Image", "Table", "Figure"):
        return content[0]
    if node["t"] == "Header":
        return content[1]
    return None


def _clean_list(items: list, checker: _Checker) -> list:
    kept = []
    for item in items:
        if isinstance(item, dict) and "t" in item:
            if not checker.node(item):
                continue
            if "c" in item:
                item["c"] = _clean_value(item["c"], checker)
        else:
            item = _clean_value(item, checker)
        kept.append(item)
    return kept


def _clean_value(value: object, checker: _Checker) -> object:
    if isinstance(value, str):
        checker.string(value)
        return value
    if isinstance(value, list):
        return _clean_list(value, checker)
    if isinstance(value, dict):
        return {key: _clean_value(child, checker) for key, child in value.items()}
    return value


def _short(target: str) -> str:
    return target if len(target) <= 60 else target[:40] + "..."


def _place(text: str, needle: str) -> tuple[int | None, int | None]:
    position = text.find(needle) if needle else -1
    if position < 0:
        return _line_of_decoded(text, needle), None
    line_start = text.rfind("\n", 0, position) + 1
    return text.count("\n", 0, position) + 1, position - line_start + 1


def _line_of_decoded(text: str, needle: str) -> int | None:
    """The line holding needle once entities, %-escapes and backslashes are decoded as pandoc
    decodes them (&#106;avascript: is javascript:), for a place text.find cannot see."""
    wanted = _decoded(needle).strip()
    if not wanted:
        return None
    for probe in (wanted, wanted[:20]):
        for number, line in enumerate(text.split("\n"), start=1):
            if probe in _decoded(line):
                return number
    return None


def _decoded(text: str) -> str:
    # Numeric references first: html.unescape drops those of control characters.
    text = NUMERIC_REFERENCE.sub(_character, text)
    return unquote(html.unescape(text)).replace("\\", "")


def _character(reference: re.Match[str]) -> str:
    digits = reference.group(1)
    code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
    return chr(code) if 0 < code <= 0x10FFFF else reference.group()
