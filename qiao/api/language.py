"""The language of API responses: a supported language in the Accept-Language header;
otherwise the site's language cookie; otherwise the signed-in user's preferred language;
otherwise what LocaleMiddleware chose (English by default)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import language_code_re, parse_accept_lang_header
from rest_framework.request import Request


def _accept_language(header: str) -> str | None:
    """The first supported UI language in an Accept-Language header (as LocaleMiddleware)."""
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        if not language_code_re.search(code):
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def _response_language(request: Request) -> str | None:
    header = _accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    if header:
        return header
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return None  # LocaleMiddleware already honoured the site's language switcher
    preferred = getattr(request.user, "preferred_language", "")
    if request.user.is_authenticated and preferred and translation.check_for_language(preferred):
        return str(preferred)
    return None


def activate_response_language(request: Request) -> None:
    """Once the user is known: answer in their language unless the request asks for another."""
    language = _response_language(request)
    if language:
        translation.activate(language)
        request._request.LANGUAGE_CODE = language
