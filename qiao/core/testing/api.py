"""API tests: clients with a fresh token of their own per user, and reading the API's error
responses (the shape: qiao.api.errors)."""

from __future__ import annotations

from typing import Any

from knox.models import AuthToken
from rest_framework.test import APIClient

from qiao.accounts.models import User


def api_client_for(user: User | None) -> APIClient:
    """An APIClient sending a new token of ``user`` (``None``: anonymous)."""
    api = APIClient()
    if user is not None:
        _instance, token = AuthToken.objects.create(user=user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def field_errors(response: Any) -> dict[str, list[str]]:
    """A validation error as ``{field: [messages]}``, checking the shape on the way."""
    body = response.json()
    assert body["type"] == "validation_error", body
    errors: dict[str, list[str]] = {}
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}, error
        errors.setdefault(error["attr"], []).append(error["detail"])
    return errors


def error_detail(response: Any) -> str:
    """The message of an error other than validation (there is exactly one)."""
    body = response.json()
    assert body["type"] in {"client_error", "server_error"}, body
    [error] = body["errors"]
    assert error["attr"] is None, error
    return str(error["detail"])
