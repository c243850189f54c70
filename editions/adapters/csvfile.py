"""Reading a CSV exported from a form or a spreadsheet: a header row, then one row a record."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from editions.adapters.sourcefile import read_text
from editions.errors import EditionsError

DELIMITERS = ",;\t"


@dataclass(frozen=True)
class Row:
    line: int  # where the record starts in the file (a quoted field may span lines)
    values: dict[str, str]  # header -> value


def read_csv(path: Path) -> tuple[list[str], list[Row]]:
    """The header and the non-empty rows of a UTF-8 CSV (with or without a BOM), separated
    by commas, semicolons (spreadsheets in many locales) or tabs."""
    text = read_text(path)
    if not text.strip():
        raise EditionsError("the CSV file is empty; export it with its header row", path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = [" ".join(cell.split()) for cell in next(reader)]
        rows: list[Row] = []
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(cells) > len(header):
                    raise EditionsError(
                        f"this row has {len(cells)} fields but the header has {len(header)}; "
                        "check the quoting of fields holding the separator",
                        path,
                        start,
                    )
                rows.append(Row(start, dict(zip(header, cells, strict=False))))
            start = reader.line_num + 1
    except csv.Error as error:
        raise EditionsError(
            f"broken CSV: {error}; export it again from the form", path, reader.line_num
        ) from error
    return header, rows


def _delimiter(text: str) -> str:
    """The separator the header row uses most outside quotes (a comma when none is used)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for character in text.splitlines()[0]:
        if character == '"':
            quoted = not quoted
        elif not quoted and character in counts:
            counts[character] += 1
    return max(DELIMITERS, key=lambda d: counts[d])  # ties: the first, a comma
