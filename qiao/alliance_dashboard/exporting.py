"""The dashboard's tables as CSV or XLSX, headed in the reader's language."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from qiao.alliance_dashboard.selectors import Dashboard
from qiao.core.spreadsheets import append_row, csv_writer


def to_csv(data: Dashboard) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([_("Table"), _("Item"), _("Count")])
    for table in data.tables:
        for row in table.rows:
            writer.writerow([table.title, row.label, row.value])
    return out.getvalue()


def to_xlsx(data: Dashboard) -> bytes:
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    for table in data.tables:
        # Sheet titles: at most 31 characters, no []:*?/\
        sheet = book.create_sheet(title=table.key[:31])
        append_row(sheet, [table.title])
        append_row(sheet, [_("Item"), _("Count")])
        for row in table.rows:
            append_row(sheet, [row.label, row.value])
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
