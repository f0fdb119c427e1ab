"""CSV exports escape cells that spreadsheet programs would run as formulas."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from qiao.core.spreadsheets import append_row, csv_safe, csv_unescape, csv_writer


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+7 999 123", "'+7 999 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain text", "plain text"),
        ("'quoted", "'quoted"),
        (-5, -5),
        (None, None),
    ],
)
def test_csv_safe(value: object, written: object) -> None:
    assert csv_safe(value) == written
    if isinstance(value, str):
        assert csv_unescape(str(written)) == value


def test_writer_escapes_every_text_cell() -> None:
    out = io.StringIO()
    csv_writer(out).writerows([["=1+1", 3, "ok"]])
    assert out.getvalue() == "'=1+1,3,ok\r\n"


def test_every_csv_export_writes_through_the_shared_writer() -> None:
    package = Path(__file__).resolve().parents[2]
    direct = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "spreadsheets.py"
        and re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    ]
    assert direct == []


def test_xlsx_rows_hold_text_not_formulas() -> None:
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    append_row(sheet, ['=HYPERLINK("http://evil.example")', "bell\x07", 3])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    read = load_workbook(out).active
    assert read is not None
    assert list(read.iter_rows(values_only=True)) == [
        ('=HYPERLINK("http://evil.example")', "bell", 3)
    ]
    assert read["A1"].data_type == "s"
