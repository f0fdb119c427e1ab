"""One JSON error shape for every API error, in the request's language.

Every error under /api/ — validation, parse, authentication, permission, not found (also for
paths no view answers), method not allowed, unsupported media type, throttled, a request body
too large, a server error — is answered with drf-standardized-errors' shape::

    {"type": "validation_error" | "client_error" | "server_error",
     "errors": [{"code": "required", "detail": "This field is required.", "attr": "title"}]}

``attr`` names the field of a validation error (``non_field_errors`` for the rest; nested
fields as ``keywords.0``) and is null otherwise. ``detail`` is translated: the response
language of qiao.api.views.ApiMixin (Accept-Language, then the site's language cookie, then
the user's preferred language). DRF views get it from their exception handler; errors raised
before any API view runs (no such path, a body over Django's limits, a crash in a middleware)
get it from Django's error handlers (qiao.urls), which hand /api/ requests to `api_error`.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from drf_standardized_errors.handler import ExceptionHandler
from drf_standardized_errors.openapi import AutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from qiao.api.language import activate_response_language
from qiao.core.errors import ServiceError

API_PREFIX = "/api/"


# --- the exceptions Django and the services raise, as API errors -----------------------------


class ActionNotPossible(exceptions.APIException):
    """A business rule refused the action (qiao.core.errors.ServiceError)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This is not possible now.")
    default_code = "not_possible"


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The request could not be understood.")
    default_code = "bad_request"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "request_too_large"


def _validation_detail(error: DjangoValidationError) -> dict[str, list[str]] | list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    detail: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field
        detail.setdefault(key, []).extend(messages)
    return detail


def as_api_exception(exc: Exception) -> Exception:
    """Django's and the services' exceptions as the API exception that answers them."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()  # Django's own messages name models, in English
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*exc.args)  # NotAllowed carries a translated reason
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(_validation_detail(exc))
    if isinstance(exc, ServiceError):
        return ActionNotPossible(str(exc))
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, SuspiciousOperation):  # too many fields or files, a bad host, ...
        return BadRequest()
    return exc


class ApiExceptionHandler(ExceptionHandler):
    """drf-standardized-errors' handler, knowing Qiao's and more of Django's exceptions."""

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        return as_api_exception(exc)

    def convert_unhandled_exceptions(self, exc: Exception) -> exceptions.APIException:
        if isinstance(exc, exceptions.APIException):
            return exc
        return exceptions.APIException()  # "A server error occurred.", translated, no details

    def report_exception(self, exc: exceptions.APIException, response: Response) -> None:
        if not isinstance(self.exc, _ServerError):  # Django has reported that one already
            super().report_exception(exc, response)


# --- errors raised before any API view runs --------------------------------------------------


class _ServerError(Exception):
    """Stands for whatever failed before: answered as a server error without details."""


class _ErrorView(APIView):
    """Answers one exception through the API's handler: the same shape, language and headers."""

    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    renderer_classes = [JSONRenderer]
    exception: Exception = Http404()

    def perform_authentication(self, request: Request) -> None:
        # A bad token must not hide the error being reported: then the header's language.
        with contextlib.suppress(exceptions.APIException):
            activate_response_language(request)  # authenticates: the user's language counts

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)  # always JSON

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Converted only now: an API exception's message is translated when it is made.
        raise as_api_exception(self.exception)


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The API's error response to an exception Django caught outside the API's views."""
    view = _ErrorView.as_view(exception=exception)
    response: HttpResponse = view(request)
    response.render()  # type: ignore[attr-defined]
    return response


def api_server_error(request: HttpRequest) -> HttpResponse:
    # A server error may come from the database itself: no authentication, so no query.
    view = _ErrorView.as_view(exception=_ServerError(), authentication_classes=[])
    response: HttpResponse = view(request)
    response.render()  # type: ignore[attr-defined]
    return response


# --- the shape, documented in the OpenAPI schema ---------------------------------------------


class ErrorItemSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(
        help_text="Stable and machine-readable, e.g. required, invalid, not_found, "
        "permission_denied, not_authenticated, parse_error, throttled, not_possible."
    )
    detail = serializers.CharField(help_text="The message, in the response language.")
    attr = serializers.CharField(
        allow_null=True,
        help_text="The field of a validation error (non_field_errors for the rest; nested "
        "fields joined by dots); null for other errors.",
    )


class ErrorSerializer(serializers.Serializer[Any]):
    """Every API error: its type and one or more errors (several only for validation)."""

    type = serializers.ChoiceField(
        choices=[(t, t) for t in ("validation_error", "client_error", "server_error")]
    )
    # A declared field: DRF's metaclass takes it off the class, Serializer.errors stays intact.
    errors = ErrorItemSerializer(many=True)  # type: ignore[assignment]


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class ApiAutoSchema(AutoSchema):
    """Documents the error responses each operation can give, all with ErrorSerializer."""

    def _has_query_filters(self) -> bool:
        paginator = self._get_paginator()  # type: ignore[no-untyped-call]
        paging = set()
        if paginator is not None:
            paging = {p["name"] for p in paginator.get_schema_operation_parameters(self.view)}
        return any(p["in"] == "query" and p["name"] not in paging for p in self._get_parameters())

    def _should_add_validation_error_response(self) -> bool:
        return super()._should_add_validation_error_response() or self._has_query_filters()

    def _should_add_error_response(self, responses: dict[str, Any], status_code: str) -> bool:
        if status_code == "413":
            return status_code not in responses and self.method in ("POST", "PUT", "PATCH")
        return super()._should_add_error_response(responses, status_code)
