"""The training dashboards' tables as CSV or XLSX (following qiao.alliance_dashboard.exporting):
headers in the reader's language where they name modules and assignments, a byte-order mark
on CSV so that spreadsheet programs read Chinese and Russian correctly."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from qiao.core.names import user_name
from qiao.core.spreadsheets import append_row, csv_writer
from qiao.training.models import Cohort
from qiao.training.selectors import NUMBER_COLUMNS, ProgressReport, cohort_funnel

Row = Sequence[object]


def to_csv(headers: Row, rows: Iterable[Row]) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()


def to_xlsx(title: str, headers: Row, rows: Iterable[Row]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    # Sheet titles: at most 31 characters, no []:*?/\
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
    append_row(sheet, headers)
    for row in rows:
        append_row(sheet, row)
    sheet.column_dimensions["A"].width = 32
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def progress_table(report: ProgressReport) -> tuple[list[str], list[list[object]]]:
    """One row per trainee: attendance overall and per module, each simulation's score and
    the module's average score (empty cells: not submitted, or no session held yet)."""
    headers: list[str] = [_("Trainee"), _("User name"), _("Sessions attended"), _("Sessions held")]
    for column in report.columns:
        name = column.title()
        if column.module is not None:
            headers += [
                _("%(module)s: sessions attended") % {"module": name},
                _("%(module)s: sessions held") % {"module": name},
            ]
        headers += [f"{name}: {assignment.title()}" for assignment in column.assignments]
        headers.append(_("%(module)s: average score") % {"module": name})
    rows: list[list[object]] = []
    for row in report.rows:
        user = row.enrolment.user
        cells: list[object] = [user_name(user), user.username]
        cells += [row.attended, row.held]
        for column, module in zip(report.columns, row.modules, strict=True):
            if column.module is not None:
                cells += [module.attended, module.held]
            cells += list(module.scores)
            cells.append(module.average_score)
        rows.append(cells)
    return headers, rows


def numbers_table(cohorts: QuerySet[Cohort]) -> tuple[list[str], list[list[object]]]:
    """One row per cohort: applications by status and the enrolment funnel, with stable
    column names (the funnel's keys, including those cohort_outcomes adds)."""
    listed = [(cohort, cohort_funnel(cohort=cohort)) for cohort in cohorts]
    keys: list[str] = []
    for _cohort, funnel in listed:
        keys += [step.key for step in funnel if step.key not in keys]
    headers = ["cohort", "starts_on", "capacity", *NUMBER_COLUMNS]
    headers += [k for k in keys if k not in NUMBER_COLUMNS]
    rows: list[list[object]] = []
    for cohort, funnel in listed:
        counts = {step.key: step.count for step in funnel}
        cells: list[object] = [cohort.title(), cohort.starts_on.isoformat(), cohort.capacity]
        cells += [getattr(cohort, column) for column in NUMBER_COLUMNS]
        cells += [counts.get(k) for k in keys if k not in NUMBER_COLUMNS]
        rows.append(cells)
    return headers, rows
