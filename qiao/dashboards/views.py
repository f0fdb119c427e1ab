"""The broker dashboard: charts in the page, the same numbers as tables and as CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from qiao.accounts.models import Role, User
from qiao.core.http import acting_user
from qiao.core.spreadsheets import csv_writer
from qiao.dashboards import permissions, selectors


def _broker_id(request: HttpRequest) -> int | None:
    """Whose dashboard: ?broker=<id> for the secretariat (none: the whole platform);
    a technology manager always sees their own."""
    user = acting_user(request)
    if user.is_secretariat:
        raw = request.GET.get("broker", "")
        return int(raw) if raw.isdigit() else None
    return user.pk


def _checked(request: HttpRequest) -> int | None:
    broker_id = _broker_id(request)
    if not permissions.can_view_dashboard(request.user, broker_id):
        raise PermissionDenied(_("Only technology managers and the secretariat see dashboards."))
    return broker_id


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    broker_id = _checked(request)
    data = selectors.dashboard(broker_id=broker_id)
    charts = {
        name: {"labels": [r.label for r in rows], "values": [r.value for r in rows]}
        for name, rows in data.sections()
    }
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "data": data,
            "charts": charts,
            "broker_id": broker_id,
            "brokers": User.objects.filter(role=Role.BROKER, is_active=True).order_by("username"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    broker_id = _checked(request)
    data = selectors.dashboard(broker_id=broker_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="qiao-dashboard.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 (Chinese, Russian) correctly with a BOM
    writer = csv_writer(response)
    writer.writerow([_("Section"), _("Key"), _("Label"), _("Value")])
    for name, rows in data.sections():
        for row in rows:
            writer.writerow([name, row.key, row.label, row.value])
    return response
