"""Request parsers whose errors are translated (DRF's say "JSON parse error - ..." in English)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as error:
            cause = error.__context__
            if isinstance(cause, json.JSONDecodeError):
                message = _(
                    "The request body is not valid JSON (line %(line)d, column %(column)d)."
                ) % {"line": cause.lineno, "column": cause.colno}
            else:
                message = _("The request body is not valid JSON.")
            raise ParseError(message) from cause


class MultiPartParser(parsers.MultiPartParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as error:
            raise ParseError(_("The multipart form could not be read.")) from error.__context__
