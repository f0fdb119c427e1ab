"""Reading the API's error responses in tests (the shape: qiao.api.errors)."""

from __future__ import annotations

from typing import Any


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
