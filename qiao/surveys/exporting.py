"""XLSX export of a questionnaire's responses: one row per invitation, one column per question
of every version, headers in the exporter's language."""

from __future__ import annotations

from io import BytesIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from qiao.core.spreadsheets import append_row
from qiao.surveys.models import Invitation, Question, QuestionKind
from qiao.surveys.selectors import answer_display


def responses_xlsx(invitations: QuerySet[Invitation]) -> bytes:
    rows = list(invitations.prefetch_related("files").order_by("version__number", "id"))
    questions = list(
        Question.objects.filter(version__invitations__in=rows)
        .distinct()
        .order_by("version__number", "position", "id")
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Responses")[:31]
    append_row(
        sheet,
        [_("Organisation"), _("Country"), _("Region"), _("Version"), _("Status"), _("Submitted")]
        + [f"v{q.version.number} · {q.text()}" for q in questions],
    )
    for inv in rows:
        status = (
            _("Submitted")
            if inv.submitted_at
            else (_("Started") if inv.started_at else _("Invited"))
        )
        cells: list[object] = [
            inv.organization.display_name(),
            inv.organization.get_country_display(),
            inv.organization.region,
            inv.version.number,
            status,
            inv.submitted_at.replace(tzinfo=None) if inv.submitted_at else None,
        ]
        files = {f.question_id: f.name for f in inv.files.all()}
        for q in questions:
            if q.version_id != inv.version_id:
                cells.append(None)
            elif q.kind == QuestionKind.FILE:
                cells.append(files.get(q.pk))
            else:
                cells.append(answer_display(q, inv.answers.get(str(q.pk))) or None)
        append_row(sheet, cells)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
