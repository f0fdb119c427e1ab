"""Rate limits for public forms that create accounts or send e-mail (issue 15, item 3).

DRF's throttles (the API's, rates in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) applied to
plain Django views: the same rates syntax, cache and client address (NUM_PROXIES).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle

THROTTLED_STATUS = 429


class FormThrottle(SimpleRateThrottle):
    """Counts one scope's submissions per client address, or per ``key`` when given (e.g.
    the e-mail address a form would write to)."""

    def __init__(self, scope: str, key: str | None = None) -> None:
        self.scope = scope
        self.key = key
        super().__init__()

    def get_cache_key(self, request: HttpRequest, view: object) -> str:
        ident = self.key if self.key is not None else self.get_ident(request)  # type: ignore[arg-type]
        return self.cache_format % {"scope": self.scope, "ident": ident}


def allow(request: HttpRequest, scope: str, *, key: str | None = None) -> bool:
    """Count this submission; False once the scope's rate is used up."""
    return FormThrottle(scope, key).allow_request(request, None)  # type: ignore[arg-type]


def throttled_response(request: HttpRequest, message: str | None = None) -> HttpResponse:
    """429 with a translated page saying to wait (``message``: a more precise reason)."""
    return render(
        request,
        "core/throttled.html",
        {
            "message": message
            or _("Too many attempts from your network address. Please wait a while and try again.")
        },
        status=THROTTLED_STATUS,
    )
