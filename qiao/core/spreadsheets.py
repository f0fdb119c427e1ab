"""CSV and XLSX files that spreadsheet programs open safely (OWASP "CSV injection").

Excel and LibreOffice run a cell starting with = + - @ (or a tab or carriage return before
one of those) as a formula: ``=HYPERLINK(...)`` in a profile title becomes a live link in the
reader's spreadsheet. Every CSV export writes through ``csv_writer``, which prefixes such text
cells with an apostrophe: spreadsheets show the text as typed and hide the apostrophe. The
importer reads the files we export, so it removes that apostrophe again (``csv_unescape``).
XLSX exports write rows through ``append_row``, which stores such text as text, not a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def csv_safe(value: object) -> object:
    """The value a CSV cell should hold: text that a spreadsheet would run is escaped;
    numbers and everything else are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return ESCAPE + value
    return value


def csv_unescape(text: str) -> str:
    """Undo csv_safe on a cell read back from a CSV file."""
    if text.startswith(ESCAPE) and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


class SafeWriter:
    """csv.writer whose text cells go through csv_safe."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([csv_safe(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: _Writable, **options: Any) -> SafeWriter:
    return SafeWriter(out, **options)


def append_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """sheet.append, but text is always text: openpyxl would store "=..." as a formula, and
    refuses control characters (which XLSX cannot hold) with an exception."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
