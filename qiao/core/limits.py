"""How much a client may send in one request.

Three layers, each refusing before it stores the body:

- ``qiao serve`` (waitress) refuses a body over twice QIAO_MAX_REQUEST_BYTES itself, before
  buffering it (by its Content-Length, or while a chunked body arrives): a bare 413.
- RequestSizeLimitMiddleware refuses a declared Content-Length over QIAO_MAX_REQUEST_BYTES
  before anything reads the body, with a translated page. Django never reads past the declared
  length (a body without one reads as empty), so nothing larger gets through.
- Django's DATA_UPLOAD_MAX_MEMORY_SIZE bounds the form fields other than files.

Each form states its own per-file limit and checks it; this is the ceiling for the whole request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise, lazy


class RequestTooLarge(RequestDataTooBig):
    """The request body is over QIAO_MAX_REQUEST_BYTES. Like Django's own RequestDataTooBig (a
    SuspiciousOperation), it reaches handler400; qiao.core.views.bad_request answers 413."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"Request body of {length} bytes is over the limit of {limit} bytes.")
        self.length = length
        self.limit = limit


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is over QIAO_MAX_REQUEST_BYTES, unread.

    Placed after LocaleMiddleware, so that the error page is in the reader's language; no
    middleware before it reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length, limit = declared_length(request), settings.QIAO_MAX_REQUEST_BYTES
        if length > limit:
            raise RequestTooLarge(length, limit)
        return self.get_response(request)


def server_body_limit() -> int:
    """waitress's max_request_body_size: room above the application's limit, so that a
    somewhat larger request still gets the translated page rather than waitress's bare one."""
    return 2 * int(settings.QIAO_MAX_REQUEST_BYTES)


def _with_limit(message: str | Promise, limit: int) -> str:
    return str(message) % {"limit": filesizeformat(limit)}


# A form's help text naming its file limit, e.g.
# file_limit_text(_("PDF or DOCX, at most %(limit)s."), MAX_BYTES): lazy, so that the size is
# written in the reader's language when the form is shown (10 MB, 10,0 МБ).
file_limit_text = lazy(_with_limit, str)
