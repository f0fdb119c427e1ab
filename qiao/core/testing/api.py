"""API clients for tests: each signed-in user gets a fresh token of their own."""

from __future__ import annotations

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
