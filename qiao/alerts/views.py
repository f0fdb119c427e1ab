"""Thin views over saved searches and alerts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from qiao.alerts import selectors, services
from qiao.alerts.forms import AlertSettingsForm, SavedSearchForm
from qiao.alerts.models import SavedSearch
from qiao.core.http import acting_user


def _own_or_404(request: HttpRequest, pk: int) -> SavedSearch:
    try:
        return selectors.saved_searches_of(request.user).get(pk=pk)
    except SavedSearch.DoesNotExist as missing:
        raise Http404(_("No such saved search.")) from missing


@login_required
def saved_search_list(request: HttpRequest) -> HttpResponse:
    searches = selectors.saved_searches_of(request.user)
    rows = [
        (s, AlertSettingsForm(initial={"frequency": s.frequency, "active": s.active}))
        for s in searches
    ]
    return render(request, "alerts/list.html", {"rows": rows})


@login_required
def saved_search_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if request.method == "POST":
        form = SavedSearchForm(request.POST)
    else:
        # Prefilled from the search page's "save this search" link.
        initial = {
            k: request.GET.get(k, "") for k in ("kind", "country", "sector", "stage", "language")
        }
        initial["query"] = request.GET.get("q", "")
        initial["name"] = initial["query"][:120]
        form = SavedSearchForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_create(actor=user, data=form.search_data())
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request, _("The search was saved. New profiles will be e-mailed to you.")
            )
            return redirect("alerts:list")
    return render(request, "alerts/form.html", {"form": form})


@login_required
@require_POST
def saved_search_settings(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own_or_404(request, pk)
    form = AlertSettingsForm(request.POST)
    if form.is_valid():
        services.saved_search_set_alerts(
            actor=acting_user(request),
            search=search,
            frequency=form.cleaned_data["frequency"],
            active=form.cleaned_data["active"],
        )
        messages.success(request, _("Your alert settings were saved."))
    else:
        messages.error(request, _("Select a valid choice."))
    return redirect("alerts:list")


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.saved_search_delete(actor=acting_user(request), search=_own_or_404(request, pk))
    messages.success(request, _("The saved search was deleted."))
    return redirect("alerts:list")


# The link in the e-mail must work without a session; mail clients' one-click unsubscribe
# (RFC 8058) POSTs without a CSRF token. The signed token is the authorisation.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    search = services.saved_search_from_token(token)
    if search is None:
        return render(request, "alerts/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.saved_search_unsubscribe(token=token)
        search.refresh_from_db()
    return render(request, "alerts/unsubscribe.html", {"search": search})
