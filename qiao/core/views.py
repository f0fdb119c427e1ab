from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
