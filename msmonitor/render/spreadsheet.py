"""CSV that spreadsheets open safely: the one writer behind every CSV output.

Two defences (OWASP CSV injection guidance):

- a text cell starting with ``= + - @``, a tab or a line break gets a leading
  apostrophe, so no spreadsheet runs it as a formula; so does whatever follows
  a line break inside a cell, for readers that split cells at line breaks;
- every cell holding a CR or an LF is quoted. The csv module quotes only the
  characters of its line terminator ("\\n" here), so a bare CR went out as is
  and spreadsheets read it as a new row, starting with a formula.

Numbers stay numbers: ``-3`` is a value, not a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_FORMULA_START = frozenset("=+-@\t\r\n")
_BREAK_THEN_FORMULA = re.compile(r"(\r\n|\r|\n)(?=[=+\-@\t])")
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def safe_cell(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    if text and text[0] in _FORMULA_START:
        text = "'" + text
    return _BREAK_THEN_FORMULA.sub(r"\1'", text)


def csv_line(cells: Iterable[Any]) -> str:
    """One CSV record: comma-separated, quoted where needed, ending in "\\n"."""
    out = []
    for cell in cells:
        text = safe_cell(cell)
        if _NEEDS_QUOTES.search(text):
            text = '"' + text.replace('"', '""') + '"'
        out.append(text)
    return ",".join(out) + "\n"


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    return csv_line(header) + "".join(csv_line(row) for row in rows)
