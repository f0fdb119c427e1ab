"""OpenAPI schema extensions (drf-spectacular)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class TokenScheme(KnoxTokenScheme):  # type: ignore[no-untyped-call]
    """Knox tokens under the scheme name the schema has always used (``tokenAuth``), so that
    clients generated from it keep working."""

    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        definition: dict[str, Any] = super().get_security_definition(  # type: ignore[no-untyped-call]
            auto_schema
        )
        definition["description"] = (
            'Send "Authorization: Token <token>". Tokens come from /api/auth/token/ or the '
            "account's API tokens page, expire, and end when the password changes."
        )
        return definition
