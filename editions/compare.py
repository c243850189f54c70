"""Where two editions differ, and how: the zip entry (DOCX, EPUB), the page (PDF) or the line
(HTML), with a short unified diff of its text."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DIFF_LINES = 20  # enough to see what changed; the rest is the same change, further on
LINE_WIDTH = 120


@dataclass(frozen=True)
class Difference:
    where: str  # one line: which part differs
    diff: tuple[str, ...] = ()  # a short unified diff of that part's text, if it has any


def first_difference(expected: Path, actual: Path) -> str | None:
    """None when the files are byte-identical, else a short description of the first change."""
    difference = compare(expected, actual)
    return difference.where if difference else None


def compare(expected: Path, actual: Path) -> Difference | None:
    """None when the files are byte-identical, else where they differ and a diff of it."""
    left, right = expected.read_bytes(), actual.read_bytes()
    if left == right:
        return None
    if zipfile.is_zipfile(expected) and zipfile.is_zipfile(actual):
        difference = _zip_difference(expected, actual)
        if difference:
            return difference
    if expected.suffix == ".pdf":
        difference = _pdf_difference(expected, actual)
        if difference:
            return difference
    elif expected.suffix in (".html", ".xhtml", ".css", ".json", ".txt"):
        return _text_difference(left, right, "", expected, actual)
    return Difference(_byte_offset(left, right))


def _byte_offset(left: bytes, right: bytes) -> str:
    offset = next(
        (i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b),
        min(len(left), len(right)),
    )
    return f"first differing byte at offset {offset} (sizes {len(left)} and {len(right)})"


def _zip_difference(expected: Path, actual: Path) -> Difference | None:
    with zipfile.ZipFile(expected) as a, zipfile.ZipFile(actual) as b:
        left = [(i.filename, i.date_time, i.compress_type) for i in a.infolist()]
        right = [(i.filename, i.date_time, i.compress_type) for i in b.infolist()]
        for (name_a, time_a, kind_a), (name_b, time_b, kind_b) in zip(left, right, strict=False):
            if name_a != name_b:
                return Difference(f"zip entries differ in order or name: {name_a} / {name_b}")
            data_a, data_b = a.read(name_a), b.read(name_b)
            if data_a != data_b:
                where = f"zip entry {name_a} differs in content"
                return _text_difference(data_a, data_b, where, expected, actual, name_a)
            if (time_a, kind_a) != (time_b, kind_b):
                return Difference(f"zip entry {name_a} differs in time stamp or compression")
        if len(left) != len(right):
            return Difference(f"zip entry count differs: {len(left)} and {len(right)}")
    return None


def _text_difference(
    left: bytes, right: bytes, where: str, expected: Path, actual: Path, entry: str = ""
) -> Difference:
    """where (or the first differing line) and a diff, when both sides are text."""
    try:
        a, b = _lines(left.decode("utf-8")), _lines(right.decode("utf-8"))
    except UnicodeDecodeError:
        return Difference(where or _byte_offset(left, right))
    line = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    where = where or f"line {line + 1} differs"
    suffix = f"/{entry}" if entry else ""
    return Difference(where, _diff(a, b, f"{expected}{suffix}", f"rebuilt{suffix}"))


def _lines(text: str) -> list[str]:
    # Word's and the EPUB's XML is often one long line: one element a line, for the diff only.
    if text.count("\n") < 3 and "><" in text:
        text = re.sub(r">\s*<", ">\n<", text)
    return text.splitlines()


def _diff(a: Sequence[str], b: Sequence[str], name_a: str, name_b: str) -> tuple[str, ...]:
    lines = list(difflib.unified_diff(a, b, name_a, name_b, n=1, lineterm=""))
    shown = [line if len(line) <= LINE_WIDTH else line[: LINE_WIDTH - 1] + "…" for line in lines]
    if len(shown) > DIFF_LINES:
        shown = [*shown[:DIFF_LINES], f"... ({len(shown) - DIFF_LINES} more diff lines)"]
    return tuple(shown)


def _pdf_difference(expected: Path, actual: Path) -> Difference | None:
    """The first page whose text differs; None when the text cannot be read or is the same."""
    pages_a, pages_b = pdf_pages(expected), pdf_pages(actual)
    if pages_a is None or pages_b is None:
        return None
    for number, (a, b) in enumerate(zip(pages_a, pages_b, strict=False), start=1):
        if a != b:
            diff = _diff(a.splitlines(), b.splitlines(), f"{expected} page {number}", "rebuilt")
            return Difference(f"page {number} differs in its text", diff)
    if len(pages_a) != len(pages_b):
        return Difference(f"page count differs: {len(pages_a)} and {len(pages_b)}")
    offset = _byte_offset(expected.read_bytes(), actual.read_bytes())
    return Difference(f"the text of every page is the same; {offset}")


def pdf_pages(path: Path) -> list[str] | None:
    """Each page's text: by pypdfium2 if installed, else by poppler's pdftotext; or None."""
    try:
        import pypdfium2
    except ImportError:
        pass
    else:
        document = pypdfium2.PdfDocument(path)
        try:
            return [page.get_textpage().get_text_range() for page in document]
        finally:
            document.close()
    if shutil.which("pdftotext") is None:
        return None
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=False
    )
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", "replace").split("\f")[:-1]
