"""The answer to a login refused by django-axes (AXES_LOCKOUT_CALLABLE): 429, translated,
JSON under /api/ and a page elsewhere."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

LOCKOUT_STATUS = 429


def lockout_message() -> str:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return ngettext(
        "Too many failed logins for this account from your address. Try again in %(minutes)d "
        "minute or reset your password.",
        "Too many failed logins for this account from your address. Try again in %(minutes)d "
        "minutes or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=LOCKOUT_STATUS)
    return render(
        request,
        "registration/locked_out.html",
        {"message": lockout_message()},
        status=LOCKOUT_STATUS,
    )
