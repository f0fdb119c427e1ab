from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

from qiao.core.limits import RequestTooLarge, declared_length
from qiao.exchange import selectors
from qiao.exchange.forms import SearchForm


def home(request: HttpRequest) -> HttpResponse:
    recent = selectors.profile_list_published(user=request.user, filters=selectors.ProfileFilters())
    return render(
        request,
        "core/home.html",
        {
            "counts": selectors.platform_counts(),
            "recent_offers": recent.filter(kind="offer")[:5],
            "recent_requests": recent.filter(kind="request")[:5],
            "sectors": selectors.sectors_tree(),
            "form": SearchForm(),
        },
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a request too large to read gets a translated 413 page; any other bad
    request Django's default page."""
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestTooLarge):
        limit = exception.limit
    else:  # Django's own: the form fields other than files are over DATA_UPLOAD_MAX_MEMORY_SIZE
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    context = {"size": declared_length(request), "limit": limit}
    return render(request, "413.html", context, status=413)
