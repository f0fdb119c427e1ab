"""The alliance dashboard: charts, tables and exports over the same aggregates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.alliance_dashboard import exporting, permissions, selectors


def _require(request: HttpRequest) -> None:
    if not permissions.can_see_dashboard(request.user):
        raise PermissionDenied(_("The dashboard is for member organisations and the secretariat."))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request)
    data = selectors.dashboard()
    charts = {
        table.key: {
            "labels": [r.label for r in table.rows],
            "values": [r.value for r in table.rows],
        }
        for table in data.tables
    }
    return render(request, "alliance_dashboard/dashboard.html", {"data": data, "charts": charts})


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    _require(request)
    data = selectors.dashboard()
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        # A byte-order mark so that spreadsheet programs read Chinese and Russian correctly.
        response = HttpResponse(
            "\ufeff" + exporting.to_csv(data), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            exporting.to_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404(_("Unknown export format."))
    response["Content-Disposition"] = f'attachment; filename="alliance-dashboard-{stamp}.{fmt}"'
    return response
