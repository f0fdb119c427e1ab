from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class PreferredLanguageMiddleware:
    """Signed-in users see the UI in their preferred language unless they switched explicitly.

    Runs before LocaleMiddleware: it seeds the language cookie's role for users who have no
    explicit choice in this browser; the switcher (set_language) always wins.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        cookie = settings.LANGUAGE_COOKIE_NAME
        user = getattr(request, "user", None)
        if cookie not in request.COOKIES and user is not None and user.is_authenticated:
            preferred = getattr(user, "preferred_language", "")
            if preferred and translation.check_for_language(preferred):
                request.COOKIES[cookie] = preferred
        return self.get_response(request)
